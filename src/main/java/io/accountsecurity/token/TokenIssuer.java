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

/** Signs the three kinds of tokens. */
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
        String token = Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(subject.id().toString())
                .upn(subject.username())
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .claim("jti", UUID.randomUUID().toString())
                .groups(groups)
                .claim("amr", amr)
                .claim("token_use", use.claim())
                .claim("tv", subject.tokenVersion())
                .jws()
                .keyId(keys.keyId())
                .algorithm(keys.algorithm())
                .sign(keys.signingKey());
        return new IssuedToken(token, lifetime.toSeconds());
    }
}
