package io.accountsecurity.resilience;

import static io.accountsecurity.support.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.Parallel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** With PostgreSQL unreachable the service says so quickly (503, readiness DOWN) and recovers without a restart. */
@QuarkusTest
@QuarkusTestResource(value = ProxiedDatabase.class, restrictToAnnotatedClass = true)
class DatabaseOutageTest {

    @Test
    void anOutageGives503QuicklyAndTheServiceRecovers() throws Exception {
        String username = unique("outage");
        createUser(username);
        String token = accessToken(username);
        given().get("/q/health/ready").then().statusCode(200);

        ProxiedDatabase.proxy.cut();
        try {
            // The pool notices the dropped connections within moments.
            long down = System.currentTimeMillis() + 5_000;
            while (given().get("/q/health/ready").statusCode() != 503 && System.currentTimeMillis() < down) {
                Thread.sleep(100);
            }
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().get("/q/health/live").then().statusCode(200);

            List<Response> answers = Parallel.run(20, () -> {
                long start = System.nanoTime();
                Response r = login(username, PASSWORD);
                assertTrue(System.nanoTime() - start < 5_000_000_000L, "answered within 5 s");
                return r;
            });
            for (Response r : answers) {
                r.then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", notNullValue())
                        .body("type", equalTo("/problems/service-unavailable"));
            }
            bearer(token).get("/api/v1/me").then().statusCode(503).header("Retry-After", equalTo("5"))
                    .body("type", equalTo("/problems/service-unavailable"));
            // The other routes' revocation check needs the database too: 503, not a 401 that would sign users out.
            bearer(token).get("/api/v1/me/security-events").then().statusCode(503)
                    .body("type", equalTo("/problems/service-unavailable"));
            // What needs no database still works.
            given().get("/.well-known/jwks.json").then().statusCode(200);
        } finally {
            ProxiedDatabase.proxy.restore();
        }

        long deadline = System.currentTimeMillis() + 15_000;
        while (given().get("/q/health/ready").statusCode() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        given().get("/q/health/ready").then().statusCode(200);
        login(username, PASSWORD).then().statusCode(200).body("status", equalTo("AUTHENTICATED"));
        bearer(token).get("/api/v1/me").then().statusCode(200);
    }
}
