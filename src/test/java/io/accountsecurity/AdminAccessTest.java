package io.accountsecurity;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.accountsecurity.twofactor.Totp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * Administrators behind their second factor: the group from the token and the database, otp in amr, and a recent
 * login for a 2FA reset. Every refusal changes nothing.
 */
@QuarkusTest
class AdminAccessTest {

    @Inject
    MutableClock clock;
    @Inject
    AgroalDataSource database;

    /**
     * One request per admin route; each that changes something names the query that counts the change (1 once made).
     */
    record Attempt(String route, RequestSpecificationCall call, String changedQuery, Object key) {
    }

    interface RequestSpecificationCall {
        Response send(RequestSpecification request);
    }

    private List<Attempt> attempts() {
        String community = createCommunity(unique("c"), null);
        String member = createUser(unique("m"));
        Enrolled enrolled = enrolledUser(clock, unique("e"), Map.of());
        String deactivated = createUser(unique("d"));
        String deleted = createUser(unique("x"));
        String removedMember = createUser(unique("r"), Map.of(community, List.of()));
        String communityName = unique("new-community");
        String username = unique("new-user");
        return List.of(
                new Attempt("POST /api/v1/admin/communities",
                        r -> r.body(Map.of("name", communityName)).post("/api/v1/admin/communities"),
                        "select count(*) from communities where name = ?", communityName),
                new Attempt("POST /api/v1/admin/users",
                        r -> r.body(Map.of("username", username, "password", PASSWORD)).post("/api/v1/admin/users"),
                        "select count(*) from users where username = ?", username),
                new Attempt("PUT /api/v1/admin/communities/{id}/members/{user_id}",
                        r -> r.body(Map.of("roles", List.of("COMMUNITY_WRITE_ROLE")))
                                .put("/api/v1/admin/communities/" + community + "/members/" + member),
                        "select count(*) from memberships where user_id = ?", UUID.fromString(member)),
                new Attempt("GET /api/v1/admin/audit-events", r -> r.get("/api/v1/admin/audit-events"), null, null),
                new Attempt("GET /api/v1/admin/users", r -> r.get("/api/v1/admin/users"), null, null),
                new Attempt("GET /api/v1/admin/users/{user_id}", r -> r.get("/api/v1/admin/users/" + member), null,
                        null),
                new Attempt("GET /api/v1/admin/communities", r -> r.get("/api/v1/admin/communities"), null, null),
                new Attempt("PATCH /api/v1/admin/users/{user_id}",
                        r -> r.body(Map.of("active", false)).patch("/api/v1/admin/users/" + deactivated),
                        "select count(*) from users where id = ? and not active", UUID.fromString(deactivated)),
                new Attempt("DELETE /api/v1/admin/users/{user_id}", r -> r.delete("/api/v1/admin/users/" + deleted),
                        "select 1 - count(*) from users where id = ?", UUID.fromString(deleted)),
                new Attempt("DELETE /api/v1/admin/communities/{id}/members/{user_id}",
                        r -> r.delete("/api/v1/admin/communities/" + community + "/members/" + removedMember),
                        "select 1 - count(*) from memberships where user_id = ?", UUID.fromString(removedMember)),
                new Attempt("DELETE /api/v1/admin/users/{user_id}/two-factor",
                        r -> r.delete("/api/v1/admin/users/" + enrolled.userId() + "/two-factor"),
                        "select 1 - count(*) from totp_credentials where user_id = ? and enabled_at is not null",
                        UUID.fromString(enrolled.userId())));
    }

    @Test
    void theWalkCoversEveryAdminRoute() {
        List<String> adminRoutes = io.accountsecurity.security.RouteRulesTestAccess.adminRoutes();
        assertEquals(adminRoutes, attempts().stream().map(Attempt::route).sorted().toList());
    }

    @Test
    void anAdministratorWithoutTheSecondFactorIsRefusedEverywhereAndChangesNothing() throws Exception {
        String passwordOnly = accessToken(promoted(createUser(unique("adm")), null));
        for (Attempt attempt : attempts()) {
            attempt.call().send(bearer(passwordOnly)).then().statusCode(403)
                    .body("type", equalTo("/problems/two-factor-required-for-action"));
            assertEquals(0, count(attempt), attempt.route());
        }
    }

    @Test
    void aUserWithoutTheGroupIsForbiddenEverywhereAndChangesNothing() throws Exception {
        Enrolled user = enrolledUser(clock, unique("u"), Map.of());
        for (Attempt attempt : attempts()) {
            attempt.call().send(bearer(user.accessToken())).then().statusCode(403)
                    .body("type", equalTo("/problems/forbidden"));
            attempt.call().send(json()).then().statusCode(401).body("type", equalTo("/problems/unauthorized"));
            assertEquals(0, count(attempt), attempt.route());
        }
    }

    @Test
    void anAdministratorWithTheSecondFactorAdministers() throws Exception {
        String token = adminWithSecondFactor();
        for (Attempt attempt : attempts()) {
            attempt.call().send(bearer(token)).then().statusCode(anyOf(is(200), is(201), is(204)));
            assertEquals(attempt.changedQuery() == null ? 0 : 1, count(attempt), attempt.route());
        }
    }

    @Test
    void aDemotedAdministratorsTokensStopAtOnce() throws Exception {
        String username = unique("adm");
        String id = createUser(username);
        promoted(id, null);
        String token = enrolledAdminToken(username);
        bearer(token).body(Map.of("name", unique("c"))).post("/api/v1/admin/communities").then().statusCode(201);
        promoted(id, false);
        bearer(token).body(Map.of("name", unique("c"))).post("/api/v1/admin/communities").then().statusCode(403)
                .body("type", equalTo("/problems/forbidden"));
    }

    @Test
    void aTwoFactorResetNeedsALoginOfTheLastFifteenMinutes() throws Exception {
        String token = adminWithSecondFactor();
        Enrolled user = enrolledUser(clock, unique("u"), Map.of());
        clock.shift(Duration.ofMinutes(15).plusSeconds(10));
        bearer(token).delete("/api/v1/admin/users/" + user.userId() + "/two-factor").then().statusCode(403)
                .body("type", equalTo("/problems/reauthentication-required"))
                .body("detail", containsString("log in again"));
        bearer(user.accessToken()).get("/api/v1/me").then().statusCode(200).body("two_factor.enabled", is(true));
        // Other admin actions do not ask for a fresh login.
        bearer(token).body(Map.of("name", unique("c"))).post("/api/v1/admin/communities").then().statusCode(201);

        clock.shift(Duration.ofMinutes(14));
        bearer(token).delete("/api/v1/admin/users/" + user.userId() + "/two-factor").then().statusCode(204);
    }

    @Test
    void theBootstrapAdministratorEnrollsThenAdministers() {
        given().get("/q/health/live").then().statusCode(200);
        String token = adminToken();
        bearer(token).get("/api/v1/me").then().statusCode(200).body("two_factor.enabled", is(true));
        assertTrue(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1])).contains("\"otp\""));
    }

    /** A new administrator, with 2FA, logged in with a code. */
    private String adminWithSecondFactor() throws Exception {
        String username = unique("adm");
        promoted(createUser(username), null);
        return enrolledAdminToken(username);
    }

    private String enrolledAdminToken(String username) {
        String token = accessToken(username);
        byte[] secret = secretOf(startEnrollment(token));
        return bearer(token).body(Map.of("code", Totp.codeAt(secret, step(clock))))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200).extract().path("access_token");
    }

    /** Makes a user a platform administrator (true when {@code admin} is null) or takes it back, in the database. */
    private String promoted(String userId, Boolean admin) throws Exception {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("update users set platform_admin = ? where id = ? "
                        + "returning username")) {
            s.setBoolean(1, admin == null || admin);
            s.setObject(2, UUID.fromString(userId));
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }

    private long count(Attempt attempt) throws Exception {
        if (attempt.changedQuery() == null) {
            return 0;
        }
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(attempt.changedQuery())) {
            s.setObject(1, attempt.key());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
