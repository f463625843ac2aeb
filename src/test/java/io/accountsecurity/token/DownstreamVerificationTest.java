package io.accountsecurity.token;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.EdDsaAlgorithm;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import io.accountsecurity.config.JwtConfig;
import io.accountsecurity.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;

/**
 * Our tokens as another service sees them, verifying offline with the JWK Set and the access tokens' issuer and
 * audience (the defaults of SmallRye JWT and jose4j): only access tokens pass, so a bare password's mfa token or an
 * enrollment token is no access token anywhere.
 */
@QuarkusTest
class DownstreamVerificationTest {

    @Inject
    JwtConfig config;
    @Inject
    MutableClock clock;

    @Test
    void onlyAccessTokensPassAnotherServicesChecks() throws Exception {
        Enrolled enrolled = enrolledUser(clock, unique("dora"), Map.of());
        String mfa = mfaToken(enrolled.username());
        String enrollment = enrollmentToken();
        String access = enrolled.accessToken();

        // Another service's jose4j verifies EdDSA with its own algorithm (the JDK's Ed25519), not with the one this
        // service registers in jose4j: the checks below run with jose4j's default while the service is left idle.
        var algorithms = AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory();
        algorithms.registerAlgorithm(new EdDsaAlgorithm());
        try {
            assertInstanceOf(EdDsaAlgorithm.class, algorithms.getAlgorithm("EdDSA"));
            for (String token : List.of(mfa, enrollment)) {
                assertThrows(InvalidJwtException.class, () -> jose4j(false).process(token));
                assertThrows(ParseException.class, () -> smallryeJwt().parse(token));
            }
            JwtClaims claims = jose4j(true).processToClaims(access);
            assertEquals(enrolled.userId(), claims.getSubject());
            assertEquals(List.of("pwd", "otp"), claims.getStringListClaimValue("amr"));
            assertNotNull(claims.getClaimValue("auth_time"));
            assertEquals(enrolled.username(), smallryeJwt().parse(access).getName());
        } finally {
            BouncyCastleEdDsa.register();
        }
    }

    /** An enrollment token: a member of a community that requires 2FA, without 2FA, logs in. */
    private String enrollmentToken() {
        String community = createCommunity(unique("c"), null);
        Enrolled writer = enrolledUser(clock, unique("w"), Map.of(community, List.of("COMMUNITY_WRITE_ROLE")));
        String member = unique("m");
        createUser(member, Map.of(community, List.of()));
        bearer(writer.accessToken()).body(Map.of("two_factor_required", true, "password", PASSWORD))
                .put("/api/v1/communities/" + community + "/authentication-policy").then().statusCode(200);
        return login(member, PASSWORD).then().statusCode(200).extract().path("enrollment_token");
    }

    private JwtConsumer jose4j(boolean checkType) throws Exception {
        JsonWebKeySet keys = new JsonWebKeySet(given().get("/.well-known/jwks.json").asString());
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(config.audience())
                .setRequireExpirationTime()
                .setRequireSubject();
        if (checkType) {
            builder.setExpectedType(true, "at+jwt");
        }
        return builder.build();
    }

    private DefaultJWTParser smallryeJwt() {
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setPublicKeyContent(given().get("/.well-known/jwks.json").asString());
        context.setIssuedBy(config.issuer());
        context.setExpectedAudience(java.util.Set.of(config.audience()));
        // mp.jwt.verify.publickey.algorithm=EdDSA: the algorithm of our key (RS256 by default).
        context.setSignatureAlgorithm(java.util.Set.of(io.smallrye.jwt.algorithm.SignatureAlgorithm.EDDSA));
        return new DefaultJWTParser(context);
    }
}
