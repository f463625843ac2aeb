package io.accountsecurity.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.accountsecurity.config.JwtConfig;
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

    /** An {@code mfa} or {@code enrollment} token. */
    public IssuedToken issue(Subject subject, TokenUse use, List<String> amr) {
        if (use == TokenUse.ACCESS) {
            throw new IllegalArgumentException("access tokens belong to a session: use access()");
        }
        return sign(subject, use, amr, null, null);
    }

    /** An access token of a session, whose login ended at {@code authTime}. */
    public IssuedToken access(Subject subject, List<String> amr, UUID sessionId, Instant authTime) {
        return sign(subject, TokenUse.ACCESS, amr, sessionId, authTime);
    }

    private IssuedToken sign(Subject subject, TokenUse use, List<String> amr, UUID sessionId, Instant authTime) {
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
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(use.forOtherServices() ? config.audience() : config.issuer());
        claims.setSubject(subject.id().toString());
        claims.setClaim("upn", subject.username());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setStringListClaim("groups", List.copyOf(groups));
        claims.setStringListClaim("amr", amr);
        claims.setClaim("token_use", use.claim());
        claims.setClaim("tv", subject.tokenVersion());
        if (use == TokenUse.ACCESS) {
            // The session, and OpenID Connect's auth_time: when its login ended (sensitive actions want a recent one).
            claims.setClaim("sid", sessionId.toString());
            claims.setClaim("auth_time", authTime.getEpochSecond());
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setHeader("typ", use.type());
        jws.setKeyIdHeaderValue(keys.keyId());
        jws.setAlgorithmHeaderValue(keys.algorithm().getAlgorithm());
        jws.setKey(keys.signingKey());
        String token;
        try {
            token = jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("the signing key cannot sign", e);
        }
        return new IssuedToken(token, lifetime.toSeconds());
    }
}
