package io.accountsecurity;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The OpenAPI document that client generators read: every operation has an id, a security requirement that matches
 * its token rule (none for public ones), and a schema for each answer with a body. CI also lints it with Redocly.
 */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyOperationHasAnIdASecurityAndASchemaForItsBody() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");
        List<String> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, String> rules = io.accountsecurity.security.RouteRulesTestAccess.rules();
        paths.forEach((path, operations) -> operations.forEach((verb, operation) -> {
            String route = verb.toUpperCase() + " " + path;
            Object id = operation.get("operationId");
            if (id == null) {
                problems.add(route + ": no operationId");
            } else if (ids.contains(id)) {
                problems.add(route + ": operationId " + id + " twice");
            } else {
                ids.add((String) id);
            }
            List<?> security = (List<?>) operation.get("security");
            boolean open = "public".equals(rules.get(route));
            // [{}] (one empty requirement) is how a public operation says it needs no credentials.
            boolean documentedOpen = security != null && security.stream().allMatch(r -> ((Map<?, ?>) r).isEmpty());
            if (security == null || documentedOpen != open) {
                problems.add(route + ": security " + security + " does not match its rule " + rules.get(route));
            }
            ((Map<?, ?>) operation.get("responses")).forEach((code, answer) -> {
                if (code.toString().startsWith("2") && !code.equals("204") && ((Map<?, ?>) answer).get("content") == null) {
                    problems.add(route + ": " + code + " has no schema");
                }
            });
        }));
        assertEquals(List.of(), problems);
        assertEquals(rules.size(), ids.size(), "every route of the rule table is in the document");
    }
}
