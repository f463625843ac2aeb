package io.accountsecurity;

import static io.accountsecurity.support.Api.*;
import static org.hamcrest.Matchers.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class FoundationTest {

    @Test
    void bootstrapAdministratorLogsInAndCreatesACommunityAndAUser() {
        String community = createCommunity(unique("acme"), null);
        String username = unique("alice");
        String id = createUser(username, Map.of(community, List.of("COMMUNITY_WRITE_ROLE")));

        login(username, PASSWORD).then().statusCode(200)
                .body("status", equalTo("AUTHENTICATED"))
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("amr", contains("pwd"));

        bearer(accessToken(username)).get("/api/v1/me").then().statusCode(200)
                .body("id", equalTo(id))
                .body("username", equalTo(username))
                .body("communities[0].id", equalTo(community))
                .body("communities[0].roles", contains("COMMUNITY_WRITE_ROLE"))
                .body("two_factor.enabled", equalTo(false))
                .body("two_factor.backup_codes_remaining", equalTo(0))
                .body("two_factor.required_by", empty());
    }

    @Test
    void openApiDescribesEveryEndpointWithProblemDocuments() {
        io.restassured.RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/v1/auth/login"))
                .body("paths", hasKey("/api/v1/auth/login/verify"))
                .body("paths", hasKey("/api/v1/me/two-factor/enrollment"))
                .body("paths", hasKey("/api/v1/communities/{id}/authentication-policy"))
                .body("paths", hasKey("/api/v1/admin/users"))
                .body("paths", hasKey("/.well-known/jwks.json"))
                .body("components.schemas", hasKey("Problem"))
                .body("components.securitySchemes", hasKey("bearer"))
                .body("paths.'/api/v1/auth/login'.post.responses.'401'.content", hasKey("application/problem+json"));
        io.restassured.RestAssured.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void healthAndMetricsAreServed() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
        login("nobody-at-all", "wrong password").then().statusCode(401);
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("account_security_logins_total"));
    }
}
