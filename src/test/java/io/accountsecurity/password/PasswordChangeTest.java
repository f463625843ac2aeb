package io.accountsecurity.password;

import static io.accountsecurity.support.Api.*;
import static org.hamcrest.Matchers.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Changing one's password: the current one checked, the new one held to NIST's rule, the other sessions ended. */
@QuarkusTest
class PasswordChangeTest {

    static Response change(String token, String current, String next) {
        return bearer(token).body(Map.of("current_password", current, "new_password", next))
                .post("/api/v1/me/password");
    }

    static JsonPath signIn(String username, String password) {
        return login(username, password).then().statusCode(200).body("status", equalTo("AUTHENTICATED")).extract()
                .jsonPath();
    }

    @Test
    void aChangeNeedsTheCurrentPasswordAndEndsTheOtherSessions() {
        String username = unique("pat");
        createUser(username);
        JsonPath here = signIn(username, PASSWORD);
        JsonPath elsewhere = signIn(username, PASSWORD);
        String token = here.getString("access_token");

        change(token, "not the password", "a brand new passphrase").then().statusCode(401)
                .body("type", equalTo("/problems/invalid-credentials"));
        change(token, PASSWORD, "a brand new passphrase").then().statusCode(204);

        bearer(token).get("/api/v1/me").then().statusCode(200);
        bearer(elsewhere.getString("access_token")).get("/api/v1/me").then().statusCode(401);
        json().body(Map.of("refresh_token", elsewhere.getString("refresh_token"))).post("/api/v1/auth/refresh")
                .then().statusCode(401);
        login(username, PASSWORD).then().statusCode(401).body("type", equalTo("/problems/invalid-credentials"));
        signIn(username, "a brand new passphrase");
        bearer(token).get("/api/v1/me/security-events").then().statusCode(200)
                .body("type", hasItems("PASSWORD_CHANGED", "SESSIONS_REVOKED"));
    }

    @Test
    void weakPasswordsAreRefusedWithAdviceAndChangeNothing() {
        String username = unique("wes");
        createUser(username);
        String token = signIn(username, PASSWORD).getString("access_token");
        change(token, PASSWORD, "password1234").then().statusCode(400)
                .body("type", equalTo("/problems/weak-password"))
                .body("detail", containsString("common"))
                .body("detail", containsString("Add another word or two"));
        change(token, PASSWORD, "short words").then().statusCode(400)
                .body("type", equalTo("/problems/weak-password")).body("detail", containsString("at least 12"));
        change(token, PASSWORD, username.toUpperCase()).then().statusCode(400)
                .body("type", equalTo("/problems/weak-password"));
        change(token, PASSWORD, "x".repeat(257)).then().statusCode(400)
                .body("type", equalTo("/problems/weak-password")).body("detail", containsString("at most 256"));
        // Length counts after NFKC: these eleven characters are twelve once "\ufb00" is "ff".
        String ligature = "\ufb00joltqwerz!";
        org.junit.jupiter.api.Assertions.assertEquals(11, ligature.length());
        change(token, PASSWORD, ligature).then().statusCode(204);
        signIn(username, ligature);
    }

    @Test
    void wrongCurrentPasswordsCountTowardTheLockout() {
        String username = unique("loc");
        createUser(username);
        String token = signIn(username, PASSWORD).getString("access_token");
        for (int i = 0; i < 10; i++) {
            change(token, "wrong password " + i, "a brand new passphrase").then().statusCode(401);
        }
        change(token, PASSWORD, "a brand new passphrase").then().statusCode(429).header("Retry-After", notNullValue());
        login(username, PASSWORD).then().statusCode(429);
    }

    @Test
    void administratorsAreHeldToTheSameRule() {
        bearer(adminToken()).body(Map.of("username", unique("weak"), "password", "password1234"))
                .post("/api/v1/admin/users").then().statusCode(400).body("type", equalTo("/problems/weak-password"));
        String username = unique("same");
        bearer(adminToken()).body(Map.of("username", username, "password", username))
                .post("/api/v1/admin/users").then().statusCode(400).body("type", equalTo("/problems/weak-password"));
    }
}
