package io.accountsecurity;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Every administrator change is in the audit trail, newest first, page by page, and outlives its target. */
@QuarkusTest
class AuditTrailTest {

    @Inject
    MutableClock clock;
    @Inject
    AgroalDataSource database;

    @Test
    void eachAdministratorActionIsListedWithActorTargetAndAddress() throws Exception {
        String community = createCommunity(unique("c"), null);
        String username = unique("u");
        String userId = createUser(username);
        bearer(adminToken()).body(Map.of("roles", List.of("COMMUNITY_WRITE_ROLE")))
                .put("/api/v1/admin/communities/" + community + "/members/" + userId).then().statusCode(200);
        Enrolled enrolled = enrolledUser(clock, unique("e"), Map.of());
        bearer(adminToken()).delete("/api/v1/admin/users/" + enrolled.userId() + "/two-factor").then().statusCode(204);

        // Other tests share the trail (some with a shifted clock): keep this test's targets.
        Set<String> mine = Set.of(community, userId, enrolled.userId());
        List<Map<String, Object>> items = bearer(adminToken()).get("/api/v1/admin/audit-events?limit=200").then()
                .statusCode(200).extract().jsonPath().<Map<String, Object>>getList("items").stream()
                .filter(item -> mine.contains(((Map<?, ?>) item.get("target")).get("id"))).toList();
        // Newest first: the reset, the enrolled user's creation, the roles, the user, the community.
        assertEquals(List.of("TWO_FACTOR_RESET", "USER_CREATED", "ROLES_CHANGED", "USER_CREATED", "COMMUNITY_CREATED"),
                items.stream().map(i -> i.get("action")).toList());
        assertEquals(List.of(enrolled.userId(), enrolled.userId(), userId, userId, community),
                items.stream().map(i -> ((Map<?, ?>) i.get("target")).get("id")).toList());
        assertEquals(List.of("user", "user", "user", "user", "community"),
                items.stream().map(i -> ((Map<?, ?>) i.get("target")).get("type")).toList());
        assertEquals(Set.of(ADMIN), items.stream().map(i -> ((Map<?, ?>) i.get("actor")).get("username"))
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of("127.0.0.1"), items.stream().map(i -> i.get("client_address"))
                .collect(java.util.stream.Collectors.toSet()));
        assertTrue(((String) items.get(3).get("detail")).contains(username));
    }

    @Test
    void pagesFollowEachOtherWithoutGapOrRepeatAndOutliveTheTarget() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createUser(unique("p")));
        }
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("delete from users where id = ?")) {
            s.setObject(1, UUID.fromString(created.get(0)));
            assertEquals(1, s.executeUpdate());
        }
        // Walk the whole trail two at a time: every entry once, this test's five in order of creation, newest first.
        List<String> ids = new ArrayList<>();
        List<String> mine = new ArrayList<>();
        String cursor = null;
        do {
            var request = bearer(adminToken()).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/admin/audit-events").then().statusCode(200)
                    .body("items.size()", lessThanOrEqualTo(2)).extract().jsonPath();
            ids.addAll(page.getList("items.id"));
            page.<String>getList("items.target.id").stream().filter(created::contains).forEach(mine::add);
            cursor = page.getString("next_cursor");
        } while (cursor != null && ids.size() < 100_000);
        assertEquals(ids.size(), new HashSet<>(ids).size(), "an entry twice");
        assertEquals(List.of(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0)), mine);
    }

    @Test
    void aCursorThisServiceDidNotGiveIsRefused() {
        for (String cursor : List.of("garbage", "bm90LWEtY3Vyc29y", "x".repeat(500))) {
            bearer(adminToken()).queryParam("cursor", cursor).get("/api/v1/admin/audit-events").then()
                    .statusCode(400).body("type", equalTo("/problems/invalid-request"))
                    .body("errors.field", contains("cursor"));
        }
        bearer(adminToken()).queryParam("limit", 0).get("/api/v1/admin/audit-events").then().statusCode(400)
                .body("errors.field", contains("limit"));
    }
}
