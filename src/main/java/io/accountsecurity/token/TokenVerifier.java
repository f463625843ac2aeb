package io.accountsecurity.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.accountsecurity.config.JwtConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * Verifies bearer tokens for smallrye-jwt (its principal factory), with jose4j against our own JWK Set (current and
 * older keys, chosen by {@code kid}; EdDSA computed by Bouncy Castle, {@link BouncyCastleEdDsa}): signature,
 * algorithm (EdDSA, RS256 or ES256 only), issuer, expiry and the claims we rely on, and per kind of token its
 * header's {@code typ} and its audience ({@link TokenUse}): a token whose kind, {@code typ} and audience disagree is
 * refused, whatever its signature.
 *
 * <p>An access token is sent with every request of a session, and its check (signature, JSON, claims) is most of
 * the CPU of a cheap request. So verified access tokens are kept, up to {@value #KEPT_TOKENS}, by the SHA-256 of their exact text, and a kept one is accepted again without
 * its check until it expires (with the same clock skew as the check). A kept token gives exactly the answer its check
 * would: verification is a function of the token's bytes and of the keys, which do not change while the service runs,
 * and a token that differs in any byte is another entry, and is checked. Revocation is untouched: the token filter
 * still checks each request's session and token version in the database. The lookup compares digests, not tokens, so its
 * timing tells nothing about a kept token. Tokens of the other kinds are used once or twice each and are not kept.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class TokenVerifier extends JWTCallerPrincipalFactory {

    static final int KEPT_TOKENS = 1024;

    private static final List<String> REQUIRED_CLAIMS = List.of("iss", "aud", "sub", "upn", "jti", "iat", "exp",
            "token_use", "amr", "tv");

    private final JwtConsumer consumer;
    private final int clockSkewSeconds;
    private final Clock clock;
    private final String issuer;
    private final String accessAudience;
    private final String ownAudience;
    private final Cache<ByteBuffer, JWTCallerPrincipal> verified = Caffeine.newBuilder().maximumSize(KEPT_TOKENS)
            .build();

    public TokenVerifier(SigningKeys keys, JwtConfig config, Clock clock) {
        this.clock = clock;
        this.issuer = config.issuer();
        if (config.audience().equals(config.issuer())) {
            throw new IllegalStateException("jwt.audience must differ from jwt.issuer: mfa and enrollment tokens are "
                    + "addressed to the issuer, and other services must not take them for access tokens");
        }
        accessAudience = config.audience();
        ownAudience = config.issuer();
        clockSkewSeconds = config.clockSkewSeconds();
        try {
            consumer = new JwtConsumerBuilder()
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(
                            new JsonWebKeySet(keys.jwksJson()).getJsonWebKeys()))
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.EDDSA, AlgorithmIdentifiers.RSA_USING_SHA256,
                            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                    // jose4j's claim checks read the system clock: the service's own (checkClaims) reads the
                    // injected one, and checkKind checks the audience per kind. The signature is still jose4j's.
                    .setSkipAllValidators()
                    .build();
        } catch (JoseException e) {
            throw new IllegalStateException("the JWK Set cannot be read", e);
        }
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo ignored) throws ParseException {
        ByteBuffer digest = ByteBuffer.wrap(sha256(token));
        JWTCallerPrincipal kept = verified.getIfPresent(digest);
        if (kept != null) {
            // As jose4j decides: expired once now - skew >= exp.
            if (clock.instant().getEpochSecond() - clockSkewSeconds < kept.getExpirationTime()) {
                return kept;
            }
            verified.invalidate(digest);
        }
        JwtContext checked;
        try {
            checked = consumer.process(token);
        } catch (InvalidJwtException e) {
            throw new ParseException("invalid token", e);
        }
        checkClaims(checked);
        TokenUse use = checkKind(checked);
        JWTCallerPrincipal principal = new Principal(token, checked.getJwtClaims());
        if (use == TokenUse.ACCESS) {
            verified.put(digest, principal);
        }
        return principal;
    }

    /**
     * Issuer, the claims we rely on, and the times with the clock skew, as jose4j's defaults would check them but on
     * the service's clock: expired once now - skew >= exp; not yet valid while now + skew < nbf.
     */
    private void checkClaims(JwtContext checked) throws ParseException {
        try {
            JwtClaims claims = checked.getJwtClaims();
            for (String claim : REQUIRED_CLAIMS) {
                if (!claims.hasClaim(claim)) {
                    throw new ParseException("missing claim " + claim);
                }
            }
            if (!issuer.equals(claims.getIssuer())) {
                throw new ParseException("wrong issuer");
            }
            long now = clock.instant().getEpochSecond();
            if (now - clockSkewSeconds >= claims.getExpirationTime().getValue()) {
                throw new ParseException("expired");
            }
            if (claims.getNotBefore() != null && now + clockSkewSeconds < claims.getNotBefore().getValue()) {
                throw new ParseException("not yet valid");
            }
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            throw new ParseException("malformed claim", e);
        }
    }

    /** The token's kind, once its {@code typ} and audience are those of that kind and no other. */
    private TokenUse checkKind(JwtContext checked) throws ParseException {
        try {
            JwtClaims claims = checked.getJwtClaims();
            TokenUse use = TokenUse.fromClaim(claims.getClaimValueAsString("token_use"));
            if (use == null) {
                throw new ParseException("unknown token_use");
            }
            String type = checked.getJoseObjects().get(0).getHeader("typ");
            if (!use.type().equals(type)) {
                throw new ParseException("typ does not match token_use");
            }
            var audiences = claims.getAudience();
            String expected = use.forOtherServices() ? accessAudience : ownAudience;
            String other = use.forOtherServices() ? ownAudience : accessAudience;
            if (audiences == null || !audiences.contains(expected) || audiences.contains(other)) {
                throw new ParseException("aud does not match token_use");
            }
            return use;
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            throw new ParseException("malformed claim", e);
        }
    }

    /**
     * smallrye-jwt's principal, but for the type of a claim name it looks up in a map where the superclass calls
     * {@code Claims.valueOf} and catches the {@code IllegalArgumentException} of every name that is not a standard
     * claim: an exception, with its stack trace filled in, for each read of {@code token_use}, {@code amr} or
     * {@code tv}, four of them for every request with a token (16 % of the allocations of {@code GET /api/v1/me}).
     * Same answers: the standard claim of that name, or {@code Claims.UNKNOWN}.
     */
    static final class Principal extends DefaultJWTCallerPrincipal {

        private static final Map<String, Claims> STANDARD_CLAIMS = Arrays.stream(Claims.values())
                .collect(Collectors.toUnmodifiableMap(Claims::name, claim -> claim));

        Principal(String token, JwtClaims claims) {
            super(token, "JWT", claims);
        }

        @Override
        protected Claims getClaimType(String claimName) {
            return STANDARD_CLAIMS.getOrDefault(claimName, Claims.UNKNOWN);
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
