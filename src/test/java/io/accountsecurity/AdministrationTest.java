package io.accountsecurity;

import static io.accountsecurity.support.Api.*;
import static org.hamcrest.Matchers.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AdministrationTest {

    @Test
    void bootstrapAdministratorIsAPlatformAdministrator() {
        String token = adminToken();
        bearer(token).get("/api/v1/me").then().statusCode(200).body("username", equalTo(ADMIN));
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        org.junit.jupiter.api.Assertions.assertTrue(payload.contains("platform-admin"), payload);
    }

    @Test
    void communityManagedByAnMssp() {
        String mssp = createCommunity(unique("mssp"), null);
        String name = unique("client");
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("managed_by", mssp);
        bearer(adminToken()).body(body).post("/api/v1/admin/communities").then().statusCode(201)
                .body("id", notNullValue()).body("name", equalTo(name)).body("managed_by", equalTo(mssp));
    }

    @Test
    void managerMustExist() {
        bearer(adminToken()).body(Map.of("name", unique("x"), "managed_by", UUID.randomUUID().toString()))
                .post("/api/v1/admin/communities").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.field", contains("managed_by"));
    }

    @Test
    void membershipCommunityMustExist() {
        bearer(adminToken()).body(Map.of("username", unique("erin"), "password", PASSWORD, "memberships",
                List.of(Map.of("community_id", UUID.randomUUID().toString(), "roles", List.of()))))
                .post("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", contains("memberships"));
    }

    @Test
    void weakPasswordAndOddUsernameAreRefused() {
        bearer(adminToken()).body(Map.of("username", "é\u0000x", "password", "a fine long passphrase"))
                .post("/api/v1/admin/users").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request")).body("errors.field", contains("username"));
        bearer(adminToken()).body(Map.of("username", unique("weak"), "password", "short"))
                .post("/api/v1/admin/users").then().statusCode(400).body("type", equalTo("/problems/weak-password"));
    }

    @Test
    void memberRolesAreSetAndShownInMe() {
        String community = createCommunity(unique("acme"), null);
        String username = unique("frank");
        String userId = createUser(username);
        bearer(adminToken()).body(Map.of("roles", List.of("COMMUNITY_WRITE_ROLE", "COMMUNITY_READ_ROLE")))
                .put("/api/v1/admin/communities/" + community + "/members/" + userId).then().statusCode(200)
                .body("community_id", equalTo(community)).body("user_id", equalTo(userId))
                .body("roles", containsInAnyOrder("COMMUNITY_WRITE_ROLE", "COMMUNITY_READ_ROLE"));
        bearer(adminToken()).body(Map.of("roles", List.of("COMMUNITY_READ_ROLE")))
                .put("/api/v1/admin/communities/" + community + "/members/" + userId).then().statusCode(200);
        bearer(accessToken(username)).get("/api/v1/me").then().statusCode(200)
                .body("communities", hasSize(1))
                .body("communities[0].roles", contains("COMMUNITY_READ_ROLE"));
    }

    @Test
    void rolesOfAnUnknownMemberAreNotFound() {
        String community = createCommunity(unique("acme"), null);
        bearer(adminToken()).body(Map.of("roles", List.of()))
                .put("/api/v1/admin/communities/" + community + "/members/" + UUID.randomUUID()).then()
                .statusCode(404).body("type", equalTo("/problems/not-found"));
    }
}
