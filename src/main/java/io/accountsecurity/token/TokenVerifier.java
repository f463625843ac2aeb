package io.accountsecurity.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.accountsecurity.config.JwtConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * Verifies bearer tokens with smallrye-jwt against our own JWK Set (current and older keys, chosen by {@code kid}),
 * checking signature, algorithm (EdDSA, RS256 or ES256 only), issuer, expiry and the claims we rely on, and per kind
 * of token its header's {@code typ} and its audience ({@link TokenUse}): a token whose kind, {@code typ} and audience
 * disagree is refused, whatever its signature.
 *
 * <p>An access token is sent with every request of a session, and its check (signature, JSON, claims) was most of
 * the service's CPU for {@code GET /api/v1/me}: 0.49 ms a request, 0.16-0.18 ms once kept. So verified access tokens
 * are kept, up to {@value #KEPT_TOKENS}, by the SHA-256 of their exact text, and a kept one is accepted again without
 * its check until it expires (with the same clock skew as the check). A kept token gives exactly the answer its check
 * would: verification is a function of the token's bytes and of the keys, which do not change while the service runs,
 * and a token that differs in any byte is another entry, and is checked. Revocation is untouched: requests that need
 * the account still compare the token version with the database. The lookup compares digests, not tokens, so its
 * timing tells nothing about a kept token. Tokens of the other kinds are used once or twice each and are not kept.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class TokenVerifier extends JWTCallerPrincipalFactory {

    static final int KEPT_TOKENS = 1024;

    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();
    private final JWTAuthContextInfo context;
    private final String accessAudience;
    private final String ownAudience;
    private final Cache<ByteBuffer, JWTCallerPrincipal> verified = Caffeine.newBuilder().maximumSize(KEPT_TOKENS)
            .build();

    public TokenVerifier(SigningKeys keys, JwtConfig config) {
        if (config.audience().equals(config.issuer())) {
            throw new IllegalStateException("jwt.audience must differ from jwt.issuer: mfa and enrollment tokens are "
                    + "addressed to the issuer, and other services must not take them for access tokens");
        }
        accessAudience = config.audience();
        ownAudience = config.issuer();
        context = new JWTAuthContextInfo();
        context.setPublicKeyContent(keys.jwksJson());
        context.setIssuedBy(config.issuer());
        // Either audience passes the parser; checkKind then requires the one of the token's kind.
        context.setExpectedAudience(Set.of(accessAudience, ownAudience));
        context.setSignatureAlgorithm(EnumSet.of(SignatureAlgorithm.EDDSA, SignatureAlgorithm.RS256,
                SignatureAlgorithm.ES256));
        context.setExpGracePeriodSecs(config.clockSkewSeconds());
        context.setRequiredClaims(Set.of("sub", "upn", "jti", "iat", "exp", "token_use", "amr", "tv"));
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo ignored) throws ParseException {
        ByteBuffer digest = ByteBuffer.wrap(sha256(token));
        JWTCallerPrincipal kept = verified.getIfPresent(digest);
        if (kept != null) {
            // As jose4j decides: expired once now - skew >= exp.
            if (System.currentTimeMillis() / 1000 - context.getExpGracePeriodSecs() < kept.getExpirationTime()) {
                return kept;
            }
            verified.invalidate(digest);
        }
        JwtContext checked = parser.parse(token, context);
        TokenUse use = checkKind(checked);
        JWTCallerPrincipal principal = new Principal(token, checked.getJwtClaims());
        if (use == TokenUse.ACCESS) {
            verified.put(digest, principal);
        }
        return principal;
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
            if (!audiences.contains(expected) || audiences.contains(other)) {
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
