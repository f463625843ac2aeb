package io.accountsecurity;

import static io.accountsecurity.support.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Every failure is an RFC 9457 problem document with a type of the contract; none is a 500. */
@QuarkusTest
class ErrorsTest {

    @Test
    void jsonThatDoesNotParseIsInvalidRequest() {
        json().body("{\"username\": ").post("/api/v1/auth/login").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("status", equalTo(400))
                .body("title", notNullValue())
                .body("detail", notNullValue())
                .body("errors.field", hasItem("body"));
    }

    @Test
    void missingFieldsAreNamed() {
        json().body(Map.of("username", "someone")).post("/api/v1/auth/login").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.field", contains("password"));
    }

    @Test
    void wrongTypeIsNamed() {
        json().body("{\"username\": 42, \"password\": \"x\"}").post("/api/v1/auth/login").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.field", contains("username"));
    }

    @Test
    void unknownFieldIsRefused() {
        json().body(Map.of("username", "a", "password", "b", "admin", true)).post("/api/v1/auth/login").then()
                .statusCode(400).body("errors.field", contains("admin"));
    }

    @Test
    void tooLongFieldIsRefused() {
        json().body(Map.of("username", "u".repeat(65), "password", "p")).post("/api/v1/auth/login").then()
                .statusCode(400).body("errors.field", contains("username"));
    }

    @Test
    void missingBodyIsInvalidRequest() {
        json().post("/api/v1/auth/login").then().statusCode(400).body("type", equalTo("/problems/invalid-request"));
    }

    @Test
    void fieldNamesInErrorsAreTheBodysSnakeCaseNames() {
        String community = createCommunity(unique("c"), null);
        String writer = unique("w");
        createUser(writer, Map.of(community, List.of("COMMUNITY_WRITE_ROLE")));
        bearer(accessToken(writer)).body(Map.of("password", PASSWORD))
                .put("/api/v1/communities/" + community + "/authentication-policy").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.field", contains("two_factor_required"));
        Map<String, Object> membership = new java.util.HashMap<>();
        membership.put("community_id", null);
        membership.put("roles", List.of("not a role"));
        bearer(adminToken()).body(Map.of("username", unique("u"), "password", PASSWORD,
                "memberships", List.of(membership))).post("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("memberships[0].community_id", "memberships[0].roles[0]"));
    }

    @Test
    void bodiesOverTheLimitGetAProblemDocumentThatTheClientCanRead() {
        for (int size : new int[] { 70_000, 2_000_000 }) {
            String huge = "{\"username\":\"" + "a".repeat(size) + "\",\"password\":\"x\"}";
            json().body(huge).post("/api/v1/auth/login").then().statusCode(413)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/payload-too-large"))
                    .body("status", equalTo(413))
                    .body("detail", containsString("at most 65536"));
        }
        // Without Content-Length (chunked), the body is measured as it is read.
        byte[] chunked = ("{\"username\":\"" + "a".repeat(70_000) + "\",\"password\":\"x\"}").getBytes();
        json().body(new java.io.ByteArrayInputStream(chunked)).post("/api/v1/auth/login").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/payload-too-large"));
        // The connection stays usable: the next request on it is answered as usual.
        json().body(Map.of("username", "nobody-" + unique("n"), "password", "x")).post("/api/v1/auth/login").then()
                .statusCode(401);
    }

    @Test
    void wrongPasswordIsInvalidCredentials() {
        String username = unique("bob");
        createUser(username);
        login(username, "not the password").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-credentials"));
    }

    @Test
    void unknownPathIsNotFound() {
        given().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
    }

    @Test
    void unknownMethodIsAProblem() {
        given().delete("/api/v1/auth/login").then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"));
    }

    @Test
    void missingTokenIsUnauthorized() {
        json().get("/api/v1/me").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("/problems/unauthorized"));
    }

    @Test
    void garbageTokenIsUnauthorized() {
        bearer("not-a-jwt").get("/api/v1/me").then().statusCode(401)
                .body("type", equalTo("/problems/unauthorized"));
    }

    @Test
    void nonAdministratorIsForbiddenFromAdministration() {
        String username = unique("carol");
        createUser(username);
        bearer(accessToken(username)).body(Map.of("name", "x")).post("/api/v1/admin/communities").then()
                .statusCode(403).body("type", equalTo("/problems/forbidden"));
    }

    @Test
    void usernamesAreUniqueWithoutRegardToCase() {
        String username = unique("Dave");
        createUser(username);
        bearer(adminToken()).body(Map.of("username", username.toUpperCase(), "password", PASSWORD))
                .post("/api/v1/admin/users").then().statusCode(409)
                .body("type", equalTo("/problems/username-taken"));
        // and the login ignores case too
        login(username.toLowerCase(), PASSWORD).then().statusCode(200).body("status", equalTo("AUTHENTICATED"));
    }

    @Test
    void malformedPathIdIsInvalidRequest() {
        bearer(adminToken()).body(Map.of("roles", List.of())).put("/api/v1/admin/communities/nope/members/nope")
                .then().statusCode(400).body("type", equalTo("/problems/invalid-request"))
                .body("errors.field", hasItem("id"));
    }
}
