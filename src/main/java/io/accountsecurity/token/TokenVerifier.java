package io.accountsecurity.token;

import java.util.EnumSet;
import java.util.Set;

import org.jose4j.jwt.consumer.JwtContext;

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
 * checking signature, algorithm (EdDSA, RS256 or ES256 only), issuer, audience, expiry and the claims we rely on.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class TokenVerifier extends JWTCallerPrincipalFactory {

    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();
    private final JWTAuthContextInfo context;

    public TokenVerifier(SigningKeys keys, JwtConfig config) {
        context = new JWTAuthContextInfo();
        context.setPublicKeyContent(keys.jwksJson());
        context.setIssuedBy(config.issuer());
        context.setExpectedAudience(Set.of(config.audience()));
        context.setSignatureAlgorithm(EnumSet.of(SignatureAlgorithm.EDDSA, SignatureAlgorithm.RS256,
                SignatureAlgorithm.ES256));
        context.setExpGracePeriodSecs(config.clockSkewSeconds());
        context.setRequiredClaims(Set.of("sub", "upn", "jti", "iat", "exp", "token_use", "amr", "tv"));
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo ignored) throws ParseException {
        JwtContext verified = parser.parse(token, context);
        return new DefaultJWTCallerPrincipal(token, "JWT", verified.getJwtClaims());
    }
}
