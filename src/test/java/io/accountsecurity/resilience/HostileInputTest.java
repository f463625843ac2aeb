package io.accountsecurity.resilience;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.Database;
import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Every endpoint that takes a body gets malformed JSON, wrong types, missing and extra fields, over-long strings,
 * control characters, null bytes, non-ASCII text, injection strings and codes of the wrong shape. Each answer must
 * be a 4xx problem document, and the database must not change.
 */
@QuarkusTest
class HostileInputTest {

    @Inject
    MutableClock clock;
    @Inject
    AgroalDataSource database;

    record Endpoint(String method, String path, String tokenKind) {
    }

    static final List<String> HOSTILE_STRINGS = List.of("", " ", "x".repeat(300), "x".repeat(5000), "a\u0000b",
            "\u0000", "line\nbreak", "tab\tchar", "\u001b[31mred", "ǅüñîçødé", "用户名", "\uD83D\uDE00emoji",
            "' OR '1'='1", "admin'--", "\"; drop table users; --", "%00", "${jndi:ldap://x/a}", "{\"$ne\": null}",
            "\\\"}, \"admin\": true, \"x\": {\"", "12345", "1234567", "+12345", " 12345", "0x1234", "１２３４５６",
            "-123456", "12 3456", "ZZZZ-ZZZZ-ZZZZ-ZZZ0", "abcd-efgh");

    static final List<String> MALFORMED = List.of("", "{", "}", "[]", "null", "\"string\"", "42", "true",
            "{\"a\":", "{'single':'quotes'}", "{\"password\": \"x\",}", "{\"password\": NaN}",
            "{\"password\": \"\\uZZZZ\"}", "\u0000", "<xml/>", "{\"password\": [\"x\"]}", "{\"password\": {\"$gt\": \"\"}}",
            "{\"password\": 123}", "{\"password\": true}", "{\"password\": null}", "{\"code\": 123456}",
            "{\"two_factor_required\": \"yes\", \"password\": \"x\"}", "{\"username\": [], \"password\": {}}",
            "{\"roles\": \"COMMUNITY_WRITE_ROLE\"}", "{\"roles\": [1, 2]}", "{\"name\": 1}",
            "{\"memberships\": {}}", "{\"unknown\": 1}");

    @Test
    void hostileBodiesGetProblemDocumentsAndChangeNothing() throws Exception {
        String community = createCommunity(unique("hostile"), null);
        Enrolled user = enrolledUser(clock, unique("target"), Map.of(community, List.of("COMMUNITY_WRITE_ROLE")));
        String access = user.accessToken();
        String admin = adminToken();
        String mfa = mfaToken(user.username());

        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/api/v1/auth/login", null),
                new Endpoint("POST", "/api/v1/auth/login/verify", mfa),
                new Endpoint("POST", "/api/v1/me/two-factor/enrollment", access),
                new Endpoint("POST", "/api/v1/me/two-factor/enrollment/confirm", access),
                new Endpoint("POST", "/api/v1/me/two-factor/backup-codes", access),
                new Endpoint("POST", "/api/v1/me/two-factor/disable", access),
                new Endpoint("PUT", "/api/v1/communities/" + community + "/authentication-policy", access),
                new Endpoint("POST", "/api/v1/admin/communities", admin),
                new Endpoint("POST", "/api/v1/admin/users", admin),
                new Endpoint("PUT", "/api/v1/admin/communities/" + community + "/members/" + user.userId(), admin));
        Map<String, List<String>> fields = Map.of(
                "/api/v1/auth/login", List.of("username", "password"),
                "/api/v1/auth/login/verify", List.of("code", "backup_code"),
                "/api/v1/me/two-factor/enrollment", List.of("password"),
                "/api/v1/me/two-factor/enrollment/confirm", List.of("code"),
                "/api/v1/me/two-factor/backup-codes", List.of("password"),
                "/api/v1/me/two-factor/disable", List.of("password"),
                // Any text is a valid community name (checked to round-trip below); managed_by must be an id.
                "/api/v1/admin/communities", List.of("managed_by"),
                "/api/v1/admin/users", List.of("username", "password"));

        Map<String, String> before = Database.fingerprint(database);
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Endpoint endpoint : endpoints) {
            for (String body : MALFORMED) {
                cases++;
                check(endpoint, body, failures);
            }
            List<String> names = fields.getOrDefault(endpoint.path().replaceAll("/[0-9a-f-]{36}", "/{id}"),
                    endpoint.path().contains("authentication-policy") ? List.of("password")
                            : List.of("roles"));
            for (String name : names) {
                for (String value : HOSTILE_STRINGS) {
                    cases++;
                    // A hostile value in one field, the other fields well-formed but wrong.
                    Map<String, Object> body = new java.util.HashMap<>();
                    body.put(name, value);
                    if (endpoint.path().endsWith("/login") && !name.equals("password")) {
                        body.put("password", "wrong password");
                    }
                    if (endpoint.path().endsWith("/login") && name.equals("password")) {
                        body.put("username", unique("nobody"));
                    }
                    if (endpoint.path().contains("authentication-policy")) {
                        body.put("two_factor_required", true);
                    }
                    check(endpoint, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body), failures);
                }
            }
        }
        // Path parameters and query strings too.
        for (String bad : List.of("not-a-uuid", "%00", "'%20OR%201=1", "..%2F..%2Fetc", "x".repeat(500))) {
            cases += 3;
            expect4xx(bearer(access).get("/api/v1/communities/" + bad + "/authentication-policy"), "GET policy " + bad, failures);
            expect4xx(bearer(admin).delete("/api/v1/admin/users/" + bad + "/two-factor"), "DELETE reset " + bad, failures);
            expect4xx(bearer(access).get("/api/v1/me/security-events?limit=" + bad), "GET events " + bad, failures);
        }
        assertEquals(List.of(), failures, "answers that were not 4xx problem documents");
        assertEquals(before, Database.fingerprint(database), "the database changed");
        System.out.println("HostileInputTest: " + cases + " hostile cases");

        // Injection strings are data: stored and answered verbatim, and the tables are still there.
        String injection = "\"; drop table users; -- ' OR '1'='1";
        bearer(admin).body(Map.of("name", injection)).post("/api/v1/admin/communities").then().statusCode(201)
                .body("name", org.hamcrest.Matchers.equalTo(injection));
        bearer(admin).get("/api/v1/me").then().statusCode(200);
        assertTrue(cases > 500, "cases: " + cases);
    }

    private void check(Endpoint endpoint, String body, List<String> failures) {
        var request = endpoint.tokenKind() == null ? json() : bearer(endpoint.tokenKind());
        Response response = request.body(body).request(endpoint.method(), endpoint.path());
        expect4xx(response, endpoint.method() + " " + endpoint.path() + " " + body, failures);
    }

    private static void expect4xx(Response response, String what, List<String> failures) {
        int status = response.statusCode();
        String type = response.contentType();
        if (status < 400 || status >= 500 || type == null || !type.startsWith("application/problem+json")
                || response.jsonPath().getString("type") == null) {
            failures.add(status + " " + type + " <- " + (what.length() > 200 ? what.substring(0, 200) : what));
        }
    }
}
