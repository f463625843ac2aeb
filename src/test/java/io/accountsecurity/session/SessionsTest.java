package io.accountsecurity.session;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.Parallel;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/** Sessions from login to logout: rotating refresh tokens, expiry, reuse detection, and revocation. */
@QuarkusTest
class SessionsTest {

    @Inject
    MutableClock clock;
    @Inject
    Sessions sessions;
    @Inject
    io.agroal.api.AgroalDataSource database;

    static Response refresh(String refreshToken) {
        return json().body(Map.of("refresh_token", refreshToken)).post("/api/v1/auth/refresh");
    }

    static JsonPath signIn(String username) {
        return login(username, PASSWORD).then().statusCode(200).body("status", equalTo("AUTHENTICATED"))
                .extract().jsonPath();
    }

    @Test
    void aSessionLivesFromLoginThroughRefreshesToLogout() {
        String username = unique("sam");
        createUser(username);
        JsonPath login = json().header("User-Agent", "test-browser/1.0").body(Map.of("username", username, "password",
                PASSWORD)).post("/api/v1/auth/login").then().statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .body("refresh_expires_in", equalTo(1800)).body("session_id", notNullValue())
                .body("refresh_token.length()", greaterThanOrEqualTo(43)).extract().jsonPath();
        String session = login.getString("session_id");
        String refreshToken = login.getString("refresh_token");
        String access = null;
        for (int i = 0; i < 3; i++) {
            clock.shift(Duration.ofMinutes(20L * (i + 1)));
            JsonPath refreshed = refresh(refreshToken).then().statusCode(200)
                    .header("Cache-Control", containsString("no-store"))
                    .body("status", equalTo("AUTHENTICATED")).body("token_type", equalTo("Bearer"))
                    .body("expires_in", equalTo(900)).body("amr", contains("pwd"))
                    .body("session_id", equalTo(session)).body("refresh_token", not(equalTo(refreshToken)))
                    .extract().jsonPath();
            refreshToken = refreshed.getString("refresh_token");
            access = refreshed.getString("access_token");
            JsonPath claims = new JsonPath(new String(java.util.Base64.getUrlDecoder().decode(access.split("\\.")[1])));
            assertEquals(session, claims.getString("sid"));
            // auth_time stays the login's.
            assertEquals(new JsonPath(new String(java.util.Base64.getUrlDecoder()
                    .decode(login.getString("access_token").split("\\.")[1]))).getLong("auth_time"),
                    claims.getLong("auth_time"));
        }
        bearer(access).get("/api/v1/me/sessions").then().statusCode(200)
                .body("find { it.id == '" + session + "' }.current", is(true))
                .body("find { it.id == '" + session + "' }.user_agent", equalTo("test-browser/1.0"))
                .body("find { it.id == '" + session + "' }.client_address", equalTo("127.0.0.1"))
                .body("find { it.id == '" + session + "' }.amr", contains("pwd"));

        bearer(access).post("/api/v1/auth/logout").then().statusCode(204);
        refresh(refreshToken).then().statusCode(401).body("type", equalTo("/problems/invalid-refresh-token"));
        bearer(access).get("/api/v1/me").then().statusCode(401);
        bearer(access).get("/api/v1/me/security-events").then().statusCode(401);
    }

    @Test
    void aSessionEndsWhenIdleAndAtItsAbsoluteLifetime() {
        String username = unique("ida");
        createUser(username);
        String idle = signIn(username).getString("refresh_token");
        clock.shift(Duration.ofMinutes(31));
        refresh(idle).then().statusCode(401).body("type", equalTo("/problems/invalid-refresh-token"));

        clock.reset();
        String token = signIn(username).getString("refresh_token");
        // Refreshed every 25 minutes, it lives 12 hours and no longer.
        for (int minutes = 25; minutes < 12 * 60; minutes += 25) {
            clock.shift(Duration.ofMinutes(minutes));
            token = refresh(token).then().statusCode(200).extract().path("refresh_token");
        }
        clock.shift(Duration.ofMinutes(12 * 60 + 5));
        refresh(token).then().statusCode(401);
    }

    @Test
    void aReusedRefreshTokenEndsItsSession() {
        String username = unique("rex");
        createUser(username);
        JsonPath login = signIn(username);
        String first = login.getString("refresh_token");
        JsonPath refreshed = refresh(first).then().statusCode(200).extract().jsonPath();
        // The thief (or the victim) presents the exchanged token again.
        refresh(first).then().statusCode(401).body("type", equalTo("/problems/invalid-refresh-token"));
        refresh(refreshed.getString("refresh_token")).then().statusCode(401);
        bearer(refreshed.getString("access_token")).get("/api/v1/me").then().statusCode(401);
        String other = signIn(username).getString("access_token");
        bearer(other).get("/api/v1/me/security-events").then().statusCode(200)
                .body("type", hasItem("REFRESH_TOKEN_REUSED"));
    }

    @Test
    void ofTwentyConcurrentRefreshesOfOneTokenExactlyOneSucceeds() throws Exception {
        String username = unique("con");
        createUser(username);
        String token = signIn(username).getString("refresh_token");
        List<Integer> statuses = Parallel.run(20, () -> refresh(token).statusCode());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 401), statuses.toString());
    }

    @Test
    void badRefreshTokensAreProblemsNeverErrors() {
        json().body(Map.of()).post("/api/v1/auth/refresh").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request")).body("errors.field", contains("refresh_token"));
        refresh("x".repeat(129)).then().statusCode(400).body("errors.field", contains("refresh_token"));
        refresh("not-a-token-of-ours").then().statusCode(401).body("type", equalTo("/problems/invalid-refresh-token"));
        refresh("\u00e9\u0000\ud83d\ude00").then().statusCode(anyOf(is(400), is(401)));
        json().body("{\"refresh_token\": 42}").post("/api/v1/auth/refresh").then().statusCode(anyOf(is(400), is(401)));
        // An access token is no refresh token, and a refresh token no access token.
        String username = unique("bad");
        createUser(username);
        JsonPath login = signIn(username);
        refresh(login.getString("access_token")).then().statusCode(400);
        bearer(login.getString("refresh_token")).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void endingOneSessionOrAllOthersStopsTheirTokensAtOnce() {
        String username = unique("eve");
        createUser(username);
        JsonPath laptop = signIn(username);
        JsonPath phone = signIn(username);
        JsonPath tablet = signIn(username);
        String laptopAccess = laptop.getString("access_token");
        bearer(laptopAccess).delete("/api/v1/me/sessions/" + phone.getString("session_id")).then().statusCode(204);
        bearer(phone.getString("access_token")).get("/api/v1/me").then().statusCode(401);
        bearer(laptopAccess).delete("/api/v1/me/sessions/" + phone.getString("session_id")).then().statusCode(404)
                .body("type", equalTo("/problems/not-found"));
        // Someone else's session is not found either.
        String stranger = unique("str");
        createUser(stranger);
        bearer(signIn(stranger).getString("access_token"))
                .delete("/api/v1/me/sessions/" + tablet.getString("session_id")).then().statusCode(404);
        bearer(tablet.getString("access_token")).get("/api/v1/me").then().statusCode(200);

        bearer(laptopAccess).delete("/api/v1/me/sessions").then().statusCode(204);
        bearer(tablet.getString("access_token")).get("/api/v1/me").then().statusCode(401);
        refresh(tablet.getString("refresh_token")).then().statusCode(401);
        bearer(laptopAccess).get("/api/v1/me/sessions").then().statusCode(200).body("id",
                contains(laptop.getString("session_id")));
        bearer(laptopAccess).get("/api/v1/me/security-events").then().statusCode(200)
                .body("type", hasItem("SESSIONS_REVOKED"));
    }

    @Test
    void enablingAndDisablingTwoFactorEndTheOtherSessions() {
        String username = unique("tfa");
        createUser(username);
        JsonPath current = signIn(username);
        JsonPath other = signIn(username);
        String token = current.getString("access_token");
        byte[] secret = secretOf(startEnrollment(token));
        JsonPath confirmed = bearer(token).body(Map.of("code", code(clock, secret, 0)))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200)
                .body("refresh_token", notNullValue()).body("session_id", notNullValue())
                .body("amr", contains("pwd", "otp")).extract().jsonPath();
        bearer(other.getString("access_token")).get("/api/v1/me").then().statusCode(401);
        refresh(other.getString("refresh_token")).then().statusCode(401);
        bearer(token).get("/api/v1/me").then().statusCode(200);
        String strong = confirmed.getString("access_token");
        bearer(strong).get("/api/v1/me").then().statusCode(200);

        bearer(strong).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/disable").then().statusCode(204);
        bearer(strong).get("/api/v1/me").then().statusCode(200);
        bearer(token).get("/api/v1/me").then().statusCode(401);
        refresh(current.getString("refresh_token")).then().statusCode(401);
        refresh(confirmed.getString("refresh_token")).then().statusCode(200).body("amr", contains("pwd", "otp"));
    }

    @Test
    void anAdministratorsResetEndsEverySession() {
        Enrolled user = enrolledUser(clock, unique("rst"), Map.of());
        String refreshToken = login(user.username(), PASSWORD).then().statusCode(200).extract().path("mfa_token");
        assertNotNull(refreshToken);
        bearer(adminToken()).delete("/api/v1/admin/users/" + user.userId() + "/two-factor").then().statusCode(204);
        bearer(user.accessToken()).get("/api/v1/me").then().statusCode(401);
        bearer(user.accessToken()).get("/api/v1/me/sessions").then().statusCode(401);
    }

    @Test
    void aSessionOfAUserWhoMustNowEnrollIsRefusedAtRefresh() {
        String community = createCommunity(unique("c"), null);
        Enrolled writer = enrolledUser(clock, unique("w"), Map.of(community, List.of("COMMUNITY_WRITE_ROLE")));
        String member = unique("m");
        createUser(member, Map.of(community, List.of()));
        String refreshToken = signIn(member).getString("refresh_token");
        bearer(writer.accessToken()).body(Map.of("two_factor_required", true, "password", PASSWORD))
                .put("/api/v1/communities/" + community + "/authentication-policy").then().statusCode(200);
        refresh(refreshToken).then().statusCode(403).body("type", equalTo("/problems/two-factor-enrollment-required"));
    }

    @Test
    void theMetricsCountRefreshesByResult() {
        given().get("/q/metrics").then().statusCode(200);
        String username = unique("met");
        createUser(username);
        refresh(signIn(username).getString("refresh_token")).then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("account_security_refreshes_total{result=\"success\""));
    }

    @Test
    void endedSessionsArePrunedOnceTheyHaveBeenDeadAWeek() throws Throwable {
        String username = unique("old");
        createUser(username);
        JsonPath ended = signIn(username);
        JsonPath live = signIn(username);
        bearer(ended.getString("access_token")).post("/api/v1/auth/logout").then().statusCode(204);

        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> sessions.prune());
        assertEquals(2, count(username), "ended yesterday or not at all: both kept");

        // Age them in the database (a shifted clock would prune every other test's sessions too): the one that
        // ended eight days ago goes, and so does the one last used nine days ago; a live one stays.
        age("update sessions set revoked_at = revoked_at - interval '8 days' where id = ?",
                ended.getString("session_id"));
        age("update sessions set last_used_at = last_used_at - interval '9 days', "
                + "created_at = created_at - interval '9 days' where id = ?", live.getString("session_id"));
        JsonPath fresh = signIn(username);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> sessions.prune());
        assertEquals(1, count(username));
        refresh(fresh.getString("refresh_token")).then().statusCode(200);
    }

    private void age(String sql, String sessionId) throws Exception {
        try (var c = database.getConnection(); var s = c.prepareStatement(sql)) {
            s.setObject(1, java.util.UUID.fromString(sessionId));
            assertEquals(1, s.executeUpdate());
        }
    }

    private long count(String username) throws Exception {
        try (var c = database.getConnection(); var s = c.prepareStatement(
                "select count(*) from sessions s join users u on u.id = s.user_id where u.username = ?")) {
            s.setString(1, username);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
