package io.accountsecurity.web;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.accountsecurity.problem.Problem;
import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Answers that carry tokens, TOTP secrets or backup codes are never stored by a cache; the JWK Set may be. */
@QuarkusTest
class NoStoreTest {

    @Inject
    MutableClock clock;

    @Test
    void answersWithTokensOrSecretsCarryNoStore() {
        String username = unique("ns");
        createUser(username);
        String token = login(username, PASSWORD).then().statusCode(200).header("Cache-Control", "no-store")
                .body("access_token", notNullValue()).extract().path("access_token");
        bearer(token).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/enrollment").then()
                .statusCode(201).header("Cache-Control", "no-store").body("secret", notNullValue());
        bearer(token).accept("image/png").get("/api/v1/me/two-factor/enrollment/qr-code").then().statusCode(200)
                .header("Cache-Control", "no-store");

        Enrolled enrolled = enrolledUser(clock, unique("ns2"), Map.of());
        login(enrolled.username(), PASSWORD).then().statusCode(200).header("Cache-Control", "no-store")
                .body("mfa_token", notNullValue());
        verify(mfaToken(enrolled.username()), "backup_code", enrolled.backupCodes().get(0)).then().statusCode(200)
                .header("Cache-Control", "no-store");
        bearer(enrolled.accessToken()).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/backup-codes")
                .then().statusCode(201).header("Cache-Control", "no-store");
        bearer(enrolled.accessToken()).accept("text/plain").body(Map.of("password", PASSWORD))
                .post("/api/v1/me/two-factor/backup-codes").then().statusCode(201)
                .header("Cache-Control", "no-store");
        // Problem documents under /api/ too: nothing there is cached.
        login(enrolled.username(), "wrong password").then().statusCode(401).header("Cache-Control", "no-store");
    }

    @Test
    void theJwkSetStaysCacheable() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", allOf(containsString("max-age"), not(containsString("no-store"))));
    }
}
