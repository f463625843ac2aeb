package io.accountsecurity.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Shortcuts to drive the real HTTP API from tests. Every name is unique, so tests can share a database. */
public final class Api {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static String adminToken;

    private Api() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + SEQUENCE.incrementAndGet();
    }

    public static RequestSpecification json() {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification bearer(String token) {
        return json().header("Authorization", "Bearer " + token);
    }

    public static Response login(String username, String password) {
        return json().body(Map.of("username", username, "password", password)).post("/api/v1/auth/login");
    }

    /** The bootstrap administrator's access token, from a login with the second factor (admin endpoints need it). */
    public static synchronized String adminToken() {
        if (adminToken == null) {
            adminToken = adminLogin();
        }
        return adminToken;
    }

    /**
     * Logs the bootstrap administrator in with a TOTP code, enrolling it at the first call. Its secret is kept in a
     * system property, so that a later start of the application in the same JVM can log in again.
     */
    public static String adminLogin() {
        java.time.Clock clock = io.quarkus.arc.Arc.container().instance(java.time.Clock.class).get();
        io.restassured.path.json.JsonPath first = login(ADMIN, ADMIN_PASSWORD).then().statusCode(200).extract()
                .jsonPath();
        String secret = System.getProperty(ADMIN_SECRET_PROPERTY);
        if ("AUTHENTICATED".equals(first.getString("status"))) {
            io.restassured.path.json.JsonPath enrollment = bearer(first.getString("access_token"))
                    .body(Map.of("password", ADMIN_PASSWORD)).post("/api/v1/me/two-factor/enrollment").then()
                    .statusCode(201).extract().jsonPath();
            secret = enrollment.getString("secret");
            System.setProperty(ADMIN_SECRET_PROPERTY, secret);
            return bearer(first.getString("access_token"))
                    .body(Map.of("code", TwoFactor.code(clock, TwoFactor.secretOf(enrollment), 0)))
                    .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200).extract()
                    .path("access_token");
        }
        if (secret == null) {
            throw new AssertionError("the bootstrap administrator has 2FA, but this JVM did not enroll it");
        }
        byte[] key = TwoFactor.decode(secret);
        // The current step may already have been used by an earlier login: the next one is accepted too.
        for (long offset = 0; offset <= 1; offset++) {
            Response verified = TwoFactor.verify(first.getString("mfa_token"), "code", TwoFactor.code(clock, key, offset));
            if (verified.statusCode() == 200) {
                return verified.path("access_token");
            }
        }
        throw new AssertionError("the bootstrap administrator's TOTP codes were refused");
    }

    private static final String ADMIN_SECRET_PROPERTY = "tests.admin-totp-secret";

    public static String createCommunity(String name, String managedBy) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("name", name);
        body.put("managed_by", managedBy);
        return bearer(adminToken()).body(body).post("/api/v1/admin/communities")
                .then().statusCode(201).extract().path("id");
    }

    /** Creates a user with the given memberships (community id to roles) and answers its id. */
    public static String createUser(String username, Map<String, List<String>> memberships) {
        List<Map<String, Object>> list = memberships.entrySet().stream()
                .map(e -> Map.<String, Object>of("community_id", e.getKey(), "roles", e.getValue())).toList();
        return bearer(adminToken())
                .body(Map.of("username", username, "password", PASSWORD, "memberships", list))
                .post("/api/v1/admin/users").then().statusCode(201).extract().path("id");
    }

    public static String createUser(String username) {
        return createUser(username, Map.of());
    }

    /** Logs a user without 2FA in and answers the access token. */
    public static String accessToken(String username) {
        return login(username, PASSWORD).then().statusCode(200).extract().path("access_token");
    }
}
