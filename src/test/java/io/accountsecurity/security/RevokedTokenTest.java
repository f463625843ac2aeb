package io.accountsecurity.security;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * Every route that takes an access token refuses one whose session ended, or whose account's tokens were revoked:
 * the revocation check lives in the token filter (or, for GET /api/v1/me, in its own statement), so no endpoint can
 * forget it. The routes come from {@link RouteRulesTest}'s table, so a new route is walked too.
 */
@QuarkusTest
class RevokedTokenTest {

    @Inject
    MutableClock clock;

    @Test
    void aLoggedOutAdministratorsTokenIsRefusedOnEveryRoute() {
        String username = unique("adm");
        Enrolled admin = enrolledUser(clock, username, Map.of());
        // A token that would pass every rule (admin, otp, fresh), but whose session has ended.
        String token = admin.accessToken();
        bearer(token).post("/api/v1/auth/logout").then().statusCode(204);
        walk(token);
    }

    @Test
    void anAccountsRevokedTokensAreRefusedOnEveryRoute() {
        Enrolled user = enrolledUser(clock, unique("usr"), Map.of());
        bearer(adminToken()).delete("/api/v1/admin/users/" + user.userId() + "/two-factor").then().statusCode(204);
        walk(user.accessToken());
    }

    /** Each route that takes access tokens answers 401 unauthorized; for any body. */
    private static void walk(String token) {
        int walked = 0;
        for (Map.Entry<String, String> route : RouteRulesTest.EXPECTED.entrySet()) {
            if (!route.getValue().startsWith("access")) {
                continue;
            }
            String[] verbAndPath = route.getKey().split(" ", 2);
            String path = verbAndPath[1].replaceAll("\\{[a-z_]+\\}", UUID.randomUUID().toString());
            RequestSpecification request = bearer(token).accept("*/*").body("{}");
            var response = request.request(verbAndPath[0], path);
            response.then().statusCode(401).body("type", equalTo("/problems/unauthorized"));
            walked++;
        }
        org.junit.jupiter.api.Assertions.assertTrue(walked >= 15, "walked " + walked + " routes");
    }

    @Test
    void theWalkReachesTheFilterBeforeTheBody() {
        // Same walk with a live token: none of the answers is 401, so the 401s above come from revocation.
        Enrolled user = enrolledUser(clock, unique("liv"), Map.of());
        JsonPath me = bearer(user.accessToken()).get("/api/v1/me").then().statusCode(200).extract().jsonPath();
        org.junit.jupiter.api.Assertions.assertEquals(user.userId(), me.getString("id"));
        for (Map.Entry<String, String> route : RouteRulesTest.EXPECTED.entrySet()) {
            if (!route.getValue().startsWith("access") || route.getKey().endsWith("/auth/logout")) {
                continue;
            }
            String[] verbAndPath = route.getKey().split(" ", 2);
            String path = verbAndPath[1].replaceAll("\\{[a-z_]+\\}", UUID.randomUUID().toString());
            bearer(user.accessToken()).accept("*/*").body("{}").request(verbAndPath[0], path).then()
                    .statusCode(not(401));
        }
    }
}
