package io.accountsecurity;

import static io.accountsecurity.support.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.accountsecurity.config.JwtConfig;
import io.accountsecurity.token.SigningKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.inject.Inject;

/** Our tokens verify; forged, altered, expired or foreign ones are refused with 401, each for its own reason. */
@QuarkusTest
class TokenTest {

    @Inject
    SigningKeys keys;
    @Inject
    JwtConfig config;

    String username;
    String userId;

    @BeforeEach
    void user() {
        username = unique("tess");
        userId = createUser(username);
    }

    @Test
    void accessTokenCarriesTheClaimsOfTheContract() {
        String token = accessToken(username);
        JsonPath header = part(token, 0);
        JsonPath payload = part(token, 1);
        assertEquals("EdDSA", header.getString("alg"));
        assertEquals(keys.keyId(), header.getString("kid"));
        assertEquals(config.issuer(), payload.getString("iss"));
        assertEquals(config.audience(), payload.getString("aud"));
        assertEquals(userId, payload.getString("sub"));
        assertEquals(username, payload.getString("upn"));
        assertEquals("access", payload.getString("token_use"));
        assertEquals(List.of("pwd"), payload.getList("amr"));
        assertEquals(List.of("user"), payload.getList("groups"));
        assertNotNull(payload.getString("jti"));
        assertEquals(900, payload.getLong("exp") - payload.getLong("iat"));
        assertEquals("at+jwt", header.getString("typ"));
        assertEquals(payload.getLong("iat"), payload.getLong("auth_time"));
    }

    @Test
    void mfaTokensAreTypedAndAddressedToThisServiceOnly() {
        String enrolled = unique("mia");
        io.accountsecurity.support.TwoFactor.enrolledUser(java.time.Clock.systemUTC(), enrolled, java.util.Map.of());
        String mfa = io.accountsecurity.support.TwoFactor.mfaToken(enrolled);
        assertEquals("mfa+jwt", part(mfa, 0).getString("typ"));
        assertEquals(config.issuer(), part(mfa, 1).getString("aud"));
        assertNull(part(mfa, 1).get("auth_time"));
    }

    @Test
    void anAccessTokenWithoutItsTypIsRefused() {
        bearer(claims().jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.EDDSA).sign(keys.signingKey()))
                .get("/api/v1/me").then().statusCode(401);
        bearer(claims().jws().header("typ", "mfa+jwt").keyId(keys.keyId()).algorithm(SignatureAlgorithm.EDDSA)
                .sign(keys.signingKey())).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void anAccessTokenAddressedToThisServiceIsRefused() {
        bearer(sign(claims().audience(config.issuer()), keys.signingKey(), keys.keyId()))
                .get("/api/v1/me").then().statusCode(401);
        bearer(sign(claims().audience(Set.of(config.audience(), config.issuer())), keys.signingKey(), keys.keyId()))
                .get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void jwkSetPublishesTheSigningKey() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys", hasSize(greaterThanOrEqualTo(1)))
                .body("keys.kid", hasItem(keys.keyId()))
                .body("keys[0].kty", equalTo("OKP"))
                .body("keys[0].crv", equalTo("Ed25519"))
                .body("keys[0].alg", equalTo("EdDSA"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0]", not(hasKey("d")));
    }

    @Test
    void jwkSetAnswersClientsThatAskForPlainJson() {
        given().accept("application/json").get("/.well-known/jwks.json").then().statusCode(200)
                .contentType(startsWith("application/json")).body("keys.kid", hasItem(keys.keyId()));
        given().accept("application/jwk-set+json").get("/.well-known/jwks.json").then().statusCode(200)
                .contentType(startsWith("application/jwk-set+json"));
    }

    @Test
    void aWellFormedTokenSignedByUsIsAccepted() {
        String session = login(username, PASSWORD).then().statusCode(200).extract().path("session_id");
        bearer(sign(claims().claim("sid", session), keys.signingKey(), keys.keyId())).get("/api/v1/me").then()
                .statusCode(200).body("username", equalTo(username));
        // An access token of no session is no longer one this service issues.
        bearer(sign(claims(), keys.signingKey(), keys.keyId())).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void tamperedPayloadIsRefused() {
        String token = accessToken(username);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user\"", "\"platform-admin\",\"user\"");
        String forged = parts[0] + "." + b64(payload) + "." + parts[2];
        bearer(forged).get("/api/v1/me").then().statusCode(401).body("type", equalTo("/problems/unauthorized"));
    }

    @Test
    void expiredTokenIsRefused() {
        Instant past = Instant.now().minusSeconds(3600);
        bearer(sign(claims().issuedAt(past).expiresAt(past.plusSeconds(900)), keys.signingKey(), keys.keyId()))
                .get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void notYetValidTokenIsRefused() {
        bearer(sign(claims().claim("nbf", Instant.now().plusSeconds(600).getEpochSecond()), keys.signingKey(),
                keys.keyId())).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void wrongIssuerIsRefused() {
        bearer(sign(claims().issuer("https://evil.example"), keys.signingKey(), keys.keyId()))
                .get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void wrongAudienceIsRefused() {
        bearer(sign(claims().audience("another-service"), keys.signingKey(), keys.keyId()))
                .get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void unsignedTokenIsRefused() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}");
        String payload = part(accessToken(username), 1).prettify();
        bearer(header + "." + b64(payload) + ".").get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void hs256SignedWithOurPublicKeyIsRefused() throws Exception {
        String jwks = given().get("/.well-known/jwks.json").asString();
        String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + keys.keyId() + "\"}");
        String payload = b64(part(accessToken(username), 1).prettify());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(jwks.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        bearer(header + "." + payload + "." + signature).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void tokenSignedByAnotherKeyWithOurKidIsRefused() throws Exception {
        bearer(sign(claims(), KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate(), keys.keyId()))
                .get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void tokenOfAnotherAlgorithmWithOurKidIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String token = claims().jws().keyId(keys.keyId()).algorithm(SignatureAlgorithm.RS256)
                .sign(generator.generateKeyPair().getPrivate());
        bearer(token).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void tokenOfAnotherKindIsRefused() {
        bearer(sign(claims().claim("token_use", "mfa").groups(Set.of("mfa-pending")), keys.signingKey(),
                keys.keyId())).get("/api/v1/me").then().statusCode(401).body("type", equalTo("/problems/unauthorized"));
        // Even when typed and addressed as an mfa token: /api/v1/me takes access and enrollment tokens only.
        bearer(claims().audience(config.issuer()).claim("token_use", "mfa").groups(Set.of("mfa-pending")).jws()
                .header("typ", "mfa+jwt").keyId(keys.keyId()).algorithm(SignatureAlgorithm.EDDSA)
                .sign(keys.signingKey())).get("/api/v1/me").then().statusCode(401);
    }

    private JwtClaimsBuilder claims() {
        Instant now = Instant.now();
        return Jwt.issuer(config.issuer()).audience(config.audience()).subject(userId).upn(username)
                .issuedAt(now).expiresAt(now.plusSeconds(600)).claim("jti", UUID.randomUUID().toString())
                .groups(Set.of("user")).claim("amr", List.of("pwd")).claim("token_use", "access").claim("tv", 0);
    }

    private static String sign(JwtClaimsBuilder claims, PrivateKey key, String kid) {
        return claims.jws().header("typ", "at+jwt").keyId(kid).algorithm(SignatureAlgorithm.EDDSA).sign(key);
    }

    private static JsonPath part(String token, int index) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
