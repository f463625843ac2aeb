package io.accountsecurity;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.Parallel;
import io.accountsecurity.twofactor.Totp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/** The administrators' user lifecycle: the directory, deactivation, deletion, and the last administrator. */
@QuarkusTest
class AdminUsersTest {

    @Inject
    MutableClock clock;
    @Inject
    AgroalDataSource database;

    @Test
    void theDirectoryPagesThroughUsersBySearchCaseInsensitively() {
        String prefix = "Dir" + UUID.randomUUID().toString().substring(0, 6);
        String community = createCommunity(unique("c"), null);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = prefix + "-" + i;
            names.add(name);
            createUser(name, i == 0 ? Map.of(community, List.of("COMMUNITY_WRITE_ROLE")) : Map.of());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = bearer(adminToken()).queryParam("search", prefix.toLowerCase()).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/admin/users").then().statusCode(200)
                    .body("items.size()", lessThanOrEqualTo(2)).extract().jsonPath();
            seen.addAll(page.getList("items.username"));
            cursor = page.getString("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(names, seen);
        assertEquals(3, pages);

        JsonPath first = bearer(adminToken()).queryParam("search", prefix + "-0").get("/api/v1/admin/users").then()
                .statusCode(200).body("items", hasSize(1)).body("next_cursor", nullValue()).extract().jsonPath();
        assertEquals(true, first.getBoolean("items[0].active"));
        assertEquals(false, first.getBoolean("items[0].two_factor.enabled"));
        assertEquals(community, first.getString("items[0].communities[0].id"));
        assertEquals(List.of("COMMUNITY_WRITE_ROLE"), first.getList("items[0].communities[0].roles"));
        bearer(adminToken()).get("/api/v1/admin/users/" + first.getString("items[0].id")).then().statusCode(200)
                .body("username", equalTo(prefix + "-0")).body("created_at", notNullValue());
        // Wildcards are searched as characters.
        bearer(adminToken()).queryParam("search", "%").get("/api/v1/admin/users").then().statusCode(200)
                .body("items", empty());
    }

    @Test
    void badQueriesAreProblemsAndUnknownUsersNotFound() {
        bearer(adminToken()).queryParam("limit", 201).get("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", contains("limit"));
        bearer(adminToken()).queryParam("cursor", "%%%").get("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", contains("cursor"));
        bearer(adminToken()).queryParam("search", "x".repeat(129)).get("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", contains("search"));
        bearer(adminToken()).get("/api/v1/admin/users/" + UUID.randomUUID()).then().statusCode(404)
                .body("type", equalTo("/problems/not-found"));
        bearer(adminToken()).get("/api/v1/admin/users/not-a-uuid").then().statusCode(400);
        bearer(adminToken()).body(Map.of("active", false)).patch("/api/v1/admin/users/" + UUID.randomUUID()).then()
                .statusCode(404);
        bearer(adminToken()).body(Map.of()).patch("/api/v1/admin/users/" + UUID.randomUUID()).then().statusCode(400);
    }

    @Test
    void aDeactivatedUserIsRefusedLikeAWrongPasswordUntilReactivated() {
        String username = unique("deac");
        String id = createUser(username);
        JsonPath session = login(username, PASSWORD).then().statusCode(200).extract().jsonPath();
        Response wrong = login(username, "not the password");

        bearer(adminToken()).body(Map.of("active", false)).patch("/api/v1/admin/users/" + id).then().statusCode(200)
                .body("active", is(false));
        Response deactivated = login(username, PASSWORD);
        assertEquals(wrong.statusCode(), deactivated.statusCode());
        assertEquals(wrong.body().asString(), deactivated.body().asString());
        bearer(session.getString("access_token")).get("/api/v1/me").then().statusCode(401);
        json().body(Map.of("refresh_token", session.getString("refresh_token"))).post("/api/v1/auth/refresh").then()
                .statusCode(401).body("type", equalTo("/problems/invalid-refresh-token"));

        bearer(adminToken()).body(Map.of("active", true)).patch("/api/v1/admin/users/" + id).then().statusCode(200)
                .body("active", is(true));
        login(username, PASSWORD).then().statusCode(200).body("status", equalTo("AUTHENTICATED"));
        bearer(adminToken()).get("/api/v1/admin/audit-events?limit=20").then().statusCode(200)
                .body("items.findAll { it.target.id == '" + id + "' }.action",
                        hasItems("USER_DEACTIVATED", "USER_REACTIVATED"));
    }

    @Test
    void aDeletedUserIsGoneButTheTrailKeepsIt() {
        String username = unique("del");
        String community = createCommunity(unique("c"), null);
        String id = createUser(username, Map.of(community, List.of()));
        String token = accessToken(username);
        bearer(adminToken()).delete("/api/v1/admin/users/" + id).then().statusCode(204);
        login(username, PASSWORD).then().statusCode(401);
        bearer(token).get("/api/v1/me").then().statusCode(401);
        bearer(adminToken()).get("/api/v1/admin/users/" + id).then().statusCode(404);
        bearer(adminToken()).delete("/api/v1/admin/users/" + id).then().statusCode(404);
        bearer(adminToken()).queryParam("search", username).get("/api/v1/admin/communities").then().statusCode(200);
        bearer(adminToken()).get("/api/v1/admin/audit-events?limit=20").then().statusCode(200)
                .body("items.find { it.action == 'USER_DELETED' && it.target.id == '" + id + "' }", notNullValue());
    }

    @Test
    void membershipsAreRemovedAndCommunitiesListed() {
        String name = "Com" + UUID.randomUUID().toString().substring(0, 6);
        String community = createCommunity(name, null);
        String user = createUser(unique("mem"), Map.of(community, List.of()));
        bearer(adminToken()).queryParam("search", name.toUpperCase()).get("/api/v1/admin/communities").then()
                .statusCode(200).body("items", hasSize(1)).body("items[0].members_total", equalTo(1))
                .body("items[0].two_factor_required", is(false)).body("next_cursor", nullValue());
        bearer(adminToken()).delete("/api/v1/admin/communities/" + community + "/members/" + user).then()
                .statusCode(204);
        bearer(adminToken()).delete("/api/v1/admin/communities/" + community + "/members/" + user).then()
                .statusCode(404);
        bearer(adminToken()).queryParam("search", name).get("/api/v1/admin/communities").then().statusCode(200)
                .body("items[0].members_total", equalTo(0));
    }

    @Test
    void thePlatformNeverLosesItsLastActiveAdministratorEvenUnderConcurrentRequests() throws Exception {
        Admin b = admin();
        Admin c = admin();
        List<UUID> others = new ArrayList<>();
        try {
            // Only b and c administer while this test runs; the others get their group back at the end.
            try (Connection conn = database.getConnection(); PreparedStatement s = conn.prepareStatement(
                    "update users set platform_admin = false where platform_admin and active and id not in (?, ?) "
                            + "returning id")) {
                s.setObject(1, UUID.fromString(b.id()));
                s.setObject(2, UUID.fromString(c.id()));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        others.add((UUID) r.getObject(1));
                    }
                }
            }
            List<Integer> statuses = Parallel.run(2, new java.util.concurrent.Callable<Integer>() {
                final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

                public Integer call() {
                    boolean first = turn.getAndIncrement() == 0;
                    Admin actor = first ? b : c;
                    Admin target = first ? c : b;
                    return bearer(actor.token()).body(Map.of("active", false))
                            .patch("/api/v1/admin/users/" + target.id()).statusCode();
                }
            });
            // One wins. The other is refused: 409 when it got past the token check before the winner committed, or
            // 401 when the winner had already deactivated its actor (whose token then stops at once).
            List<Integer> sorted = statuses.stream().sorted().toList();
            assertTrue(sorted.equals(List.of(200, 409)) || sorted.equals(List.of(200, 401)), statuses.toString());
            Admin survivor = activeCount(b.id()) == 1 ? b : c;
            bearer(survivor.token()).body(Map.of("active", false)).patch("/api/v1/admin/users/" + survivor.id())
                    .then().statusCode(409).body("type", equalTo("/problems/last-administrator"));
            bearer(survivor.token()).delete("/api/v1/admin/users/" + survivor.id()).then().statusCode(409);
        } finally {
            try (Connection conn = database.getConnection(); PreparedStatement s = conn.prepareStatement(
                    "update users set platform_admin = true where id = any(?)")) {
                s.setArray(1, conn.createArrayOf("uuid", others.toArray()));
                s.executeUpdate();
            }
        }
    }

    record Admin(String id, String token) {
    }

    /** A new platform administrator (promoted in the database), enrolled and logged in with a code. */
    private Admin admin() throws Exception {
        String username = unique("adm");
        String id = createUser(username);
        try (Connection conn = database.getConnection();
                PreparedStatement s = conn.prepareStatement("update users set platform_admin = true where id = ?")) {
            s.setObject(1, UUID.fromString(id));
            s.executeUpdate();
        }
        String token = accessToken(username);
        byte[] secret = secretOf(startEnrollment(token));
        String strong = bearer(token).body(Map.of("code", Totp.codeAt(secret, step(clock))))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200).extract().path("access_token");
        return new Admin(id, strong);
    }

    private long activeCount(String id) throws Exception {
        try (Connection conn = database.getConnection();
                PreparedStatement s = conn.prepareStatement("select count(*) from users where id = ? and active")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
