package io.accountsecurity.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.accountsecurity.config.JwtConfig;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Singleton;

/**
 * Signs the three kinds of tokens. Access tokens are addressed to the configured audience, the one other services
 * check; {@code mfa} and {@code enrollment} tokens to this service alone (its issuer), each with its own {@code typ}.
 */
@Singleton
public class TokenIssuer {

    public static final String ADMIN_GROUP = "platform-admin";

    private final SigningKeys keys;
    private final JwtConfig config;
    private final Clock clock;

    public TokenIssuer(SigningKeys keys, JwtConfig config, Clock clock) {
        this.keys = keys;
        this.config = config;
        this.clock = clock;
    }

    /** A signed token and its lifetime in seconds. */
    public record IssuedToken(String token, long expiresIn) {
    }

    /** The facts about an account that go into its tokens. */
    public record Subject(UUID id, String username, boolean platformAdmin, int tokenVersion) {
    }

    public IssuedToken issue(Subject subject, TokenUse use, List<String> amr) {
        Duration lifetime = switch (use) {
            case MFA -> config.mfaTokenLifetime();
            case ENROLLMENT -> config.enrollmentTokenLifetime();
            case ACCESS -> config.accessTokenLifetime();
        };
        Set<String> groups = new HashSet<>();
        groups.add(use.group());
        if (use == TokenUse.ACCESS && subject.platformAdmin()) {
            groups.add(ADMIN_GROUP);
        }
        Instant now = clock.instant();
        var claims = Jwt.issuer(config.issuer())
                .audience(use.forOtherServices() ? config.audience() : config.issuer())
                .subject(subject.id().toString())
                .upn(subject.username())
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .claim("jti", UUID.randomUUID().toString())
                .groups(groups)
                .claim("amr", amr)
                .claim("token_use", use.claim())
                .claim("tv", subject.tokenVersion());
        if (use == TokenUse.ACCESS) {
            // OpenID Connect's auth_time: when the login ended; administrators' sensitive actions require a recent one.
            claims.claim("auth_time", now.getEpochSecond());
        }
        String token = claims.jws()
                .header("typ", use.type())
                .keyId(keys.keyId())
                .algorithm(keys.algorithm())
                .sign(keys.signingKey());
        return new IssuedToken(token, lifetime.toSeconds());
    }
}
