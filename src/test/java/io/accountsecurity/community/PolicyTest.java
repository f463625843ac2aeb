package io.accountsecurity.community;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

@QuarkusTest
class PolicyTest {

    static final List<String> WRITE = List.of("COMMUNITY_WRITE_ROLE");

    @Inject
    MutableClock clock;
    @Inject
    AgroalDataSource database;

    static String policyPath(String community) {
        return "/api/v1/communities/" + community + "/authentication-policy";
    }

    static Response put(String token, String community, boolean required, String password, Boolean cascade) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("two_factor_required", required);
        body.put("password", password);
        if (cascade != null) {
            body.put("apply_to_managed", cascade);
        }
        return bearer(token).body(body).put(policyPath(community));
    }

    @Test
    void aWriterWithoutTwoFactorCannotChangeThePolicy() {
        String community = createCommunity(unique("c"), null);
        String writer = unique("w");
        createUser(writer, Map.of(community, WRITE));
        put(accessToken(writer), community, true, PASSWORD, null).then().statusCode(403)
                .body("type", equalTo("/problems/two-factor-required-for-action"));
    }

    @Test
    void aWriterMustHaveUsedTheSecondFactorForThisLogin() {
        String community = createCommunity(unique("c"), null);
        String writer = unique("w");
        createUser(writer, Map.of(community, WRITE));
        String passwordOnlyToken = accessToken(writer);
        byte[] secret = secretOf(startEnrollment(passwordOnlyToken));
        bearer(passwordOnlyToken).body(Map.of("code", code(clock, secret, 0)))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200);
        // 2FA is on now, but this token's login did not use it.
        put(passwordOnlyToken, community, true, PASSWORD, null).then().statusCode(403)
                .body("type", equalTo("/problems/two-factor-required-for-action"));
    }

    @Test
    void aWriterWithTwoFactorAndAWrongPasswordIsRefused() {
        String community = createCommunity(unique("c"), null);
        Enrolled writer = enrolledUser(clock, unique("w"), Map.of(community, WRITE));
        put(writer.accessToken(), community, true, "wrong password", null).then().statusCode(401)
                .body("type", equalTo("/problems/invalid-credentials"));
        bearer(writer.accessToken()).get(policyPath(community)).then().body("two_factor_required", equalTo(false));
    }

    @Test
    void aMemberWithoutTheRoleIsForbidden() {
        String community = createCommunity(unique("c"), null);
        Enrolled member = enrolledUser(clock, unique("m"), Map.of(community, List.of()));
        put(member.accessToken(), community, true, PASSWORD, null).then().statusCode(403)
                .body("type", equalTo("/problems/forbidden"));
        bearer(member.accessToken()).get(policyPath(community)).then().statusCode(200)
                .body("two_factor_required", equalTo(false))
                .body("members_total", nullValue())
                .body("members_without_two_factor", nullValue());
        bearer(member.accessToken()).get("/api/v1/communities/" + community + "/security-events").then()
                .statusCode(403);
    }

    @Test
    void aNonMemberNeverSeesThePolicy() {
        String community = createCommunity(unique("c"), null);
        Enrolled outsider = enrolledUser(clock, unique("o"), Map.of());
        bearer(outsider.accessToken()).get(policyPath(community)).then().statusCode(404)
                .body("type", equalTo("/problems/not-found"))
                .body("$", not(hasKey("two_factor_required")));
        put(outsider.accessToken(), community, true, PASSWORD, null).then().statusCode(404);
    }

    @Test
    void aWriterChangesThePolicyAndSeesTheCounts() {
        String community = createCommunity(unique("c"), null);
        Enrolled writer = enrolledUser(clock, unique("w"), Map.of(community, WRITE));
        enrolledUser(clock, unique("with2fa"), Map.of(community, List.of()));
        createUser(unique("without2fa"), Map.of(community, List.of()));

        bearer(writer.accessToken()).get(policyPath(community)).then().statusCode(200)
                .body("community_id", equalTo(community))
                .body("two_factor_required", equalTo(false))
                .body("updated_by", nullValue())
                .body("members_total", equalTo(3))
                .body("members_without_two_factor", equalTo(1));

        put(writer.accessToken(), community, true, PASSWORD, null).then().statusCode(200)
                .body("two_factor_required", equalTo(true))
                .body("updated_at", notNullValue())
                .body("updated_by.id", equalTo(writer.userId()))
                .body("updated_by.username", equalTo(writer.username()))
                .body("members_total", equalTo(3))
                .body("members_without_two_factor", equalTo(1))
                .body("$", not(hasKey("managed_updated")));

        bearer(writer.accessToken()).get("/api/v1/communities/" + community + "/security-events").then()
                .statusCode(200)
                .body("[0].type", equalTo("TWO_FACTOR_POLICY_CHANGED"))
                .body("[0].user.id", equalTo(writer.userId()))
                .body("[0].user.username", equalTo(writer.username()))
                .body("type", hasItem("TWO_FACTOR_ENABLED"));
    }

    @Test
    void anMsspAppliesThePolicyToEveryCommunityItManagesAndNoOther() {
        String mssp = createCommunity(unique("mssp"), null);
        String first = createCommunity(unique("client-a"), mssp);
        String second = createCommunity(unique("client-b"), mssp);
        String independent = createCommunity(unique("solo"), null);
        Enrolled manager = enrolledUser(clock, unique("mgr"), Map.of(mssp, WRITE));

        bearer(manager.accessToken()).get("/api/v1/communities/" + mssp + "/managed").then().statusCode(200)
                .body("id", containsInAnyOrder(first, second))
                .body("two_factor_required", everyItem(equalTo(false)));

        put(manager.accessToken(), mssp, true, PASSWORD, true).then().statusCode(200)
                .body("two_factor_required", equalTo(true))
                .body("managed_updated.id", containsInAnyOrder(first, second))
                .body("managed_updated.name", everyItem(notNullValue()));

        bearer(manager.accessToken()).get("/api/v1/communities/" + mssp + "/managed").then()
                .body("two_factor_required", everyItem(equalTo(true)));
        // The MSSP's writer is a writer of the managed communities' policy too.
        bearer(manager.accessToken()).get(policyPath(first)).then().statusCode(200)
                .body("two_factor_required", equalTo(true))
                .body("updated_by.id", equalTo(manager.userId()))
                .body("members_total", equalTo(0));
        put(manager.accessToken(), second, false, PASSWORD, null).then().statusCode(200)
                .body("two_factor_required", equalTo(false));

        String soloAdmin = unique("solo-admin");
        createUser(soloAdmin, Map.of(independent, WRITE));
        bearer(accessToken(soloAdmin)).get(policyPath(independent)).then()
                .body("two_factor_required", equalTo(false)).body("updated_at", nullValue());
        bearer(manager.accessToken()).get(policyPath(independent)).then().statusCode(404);
    }

    @Test
    void communityEventsShowOnlyMembersTwoFactorChangesWithoutAddresses() {
        String community = createCommunity(unique("c"), null);
        Enrolled writer = enrolledUser(clock, unique("w"), Map.of(community, WRITE));
        Enrolled member = enrolledUser(clock, unique("m"), Map.of(community, List.of()));
        // Personal events of the member: new backup codes, one of them used at a login.
        List<String> codes = bearer(member.accessToken()).body(Map.of("password", PASSWORD))
                .post("/api/v1/me/two-factor/backup-codes").then().statusCode(201).extract().path("backup_codes");
        verify(mfaToken(member.username()), "backup_code", codes.get(0)).then().statusCode(200);
        put(writer.accessToken(), community, true, PASSWORD, null).then().statusCode(200);

        bearer(member.accessToken()).get("/api/v1/me/security-events").then().statusCode(200)
                .body("type", hasItems("BACKUP_CODES_REGENERATED", "BACKUP_CODE_USED"))
                .body("[0]", hasKey("client_address"));
        bearer(writer.accessToken()).get("/api/v1/communities/" + community + "/security-events").then()
                .statusCode(200)
                .body("type", everyItem(in(List.of("TWO_FACTOR_POLICY_CHANGED", "TWO_FACTOR_ENABLED",
                        "TWO_FACTOR_DISABLED", "TWO_FACTOR_RESET_BY_ADMIN"))))
                .body("findAll { it.type == 'TWO_FACTOR_ENABLED' }.user.id",
                        containsInAnyOrder(writer.userId(), member.userId()))
                .body("type", hasItem("TWO_FACTOR_POLICY_CHANGED"))
                .body("findAll { it.containsKey('client_address') }", empty());
    }

    @Test
    void anMsspWriterHoldsTheManagedCommunitiesPolicyAndNothingMore() {
        String mssp = createCommunity(unique("mssp"), null);
        String customer = createCommunity(unique("customer"), mssp);
        Enrolled manager = enrolledUser(clock, unique("mgr"), Map.of(mssp, WRITE));
        Enrolled customerWriter = enrolledUser(clock, unique("cw"), Map.of(customer, WRITE));

        // Their authentication policy: read with the counts, and changed.
        bearer(manager.accessToken()).get(policyPath(customer)).then().statusCode(200)
                .body("members_total", equalTo(1)).body("members_without_two_factor", equalTo(0));
        put(manager.accessToken(), customer, true, PASSWORD, null).then().statusCode(200)
                .body("two_factor_required", equalTo(true));
        // Not their members' events, nor what a managed community would manage.
        bearer(manager.accessToken()).get("/api/v1/communities/" + customer + "/security-events").then()
                .statusCode(403).body("type", equalTo("/problems/forbidden"));
        bearer(manager.accessToken()).get("/api/v1/communities/" + customer + "/managed").then()
                .statusCode(403).body("type", equalTo("/problems/forbidden"));
        // The customer's own writer still reads them.
        bearer(customerWriter.accessToken()).get("/api/v1/communities/" + customer + "/security-events").then()
                .statusCode(200)
                .body("findAll { it.type == 'TWO_FACTOR_ENABLED' }.user.id", hasItem(customerWriter.userId()))
                .body("[0].type", equalTo("TWO_FACTOR_POLICY_CHANGED"))
                .body("[0].user.id", equalTo(manager.userId()));
    }

    @Test
    void managementIsOneLevelDeep() throws Exception {
        String mssp = createCommunity(unique("mssp"), null);
        String customer = createCommunity(unique("customer"), mssp);
        var before = io.accountsecurity.support.Database.fingerprint(database);
        Map<String, Object> nested = new java.util.HashMap<>();
        nested.put("name", unique("nested"));
        nested.put("managed_by", customer);
        bearer(adminToken()).body(nested).post("/api/v1/admin/communities").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-request"))
                .body("errors.field", contains("managed_by"));
        assertEquals(before, io.accountsecurity.support.Database.fingerprint(database));
    }

    @Test
    void theCascadeIsRolledBackWholeWhenItFailsMidway() throws Exception {
        String mssp = createCommunity(unique("mssp"), null);
        String first = createCommunity(unique("a-client"), mssp);
        String second = createCommunity(unique("b-client"), mssp);
        Enrolled manager = enrolledUser(clock, unique("mgr"), Map.of(mssp, WRITE));
        String trigger = "fail_" + second.replace("-", "");
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("create function " + trigger + "() returns trigger language plpgsql as $$ begin "
                    + "raise exception 'injected failure' using errcode = '40001'; end $$");
            s.execute("create trigger " + trigger + " before update on communities for each row when (new.id = '"
                    + second + "') execute function " + trigger + "()");
        }
        try {
            put(manager.accessToken(), mssp, true, PASSWORD, true).then().statusCode(503)
                    .body("type", equalTo("/problems/service-unavailable"));
        } finally {
            try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop trigger " + trigger + " on communities");
                s.execute("drop function " + trigger + "()");
            }
        }
        for (String community : List.of(mssp, first, second)) {
            bearer(manager.accessToken()).get(policyPath(community)).then().statusCode(200)
                    .body("two_factor_required", equalTo(false)).body("updated_at", nullValue());
        }
        bearer(manager.accessToken()).get("/api/v1/communities/" + mssp + "/security-events").then()
                .body("type", not(hasItem("TWO_FACTOR_POLICY_CHANGED")));
    }

    @Test
    void membersWithoutTwoFactorMustEnrollAtTheirNextLogin() {
        String community = createCommunity(unique("c"), null);
        Enrolled writer = enrolledUser(clock, unique("w"), Map.of(community, WRITE));
        String member = unique("m");
        createUser(member, Map.of(community, List.of()));
        String beforeToken = accessToken(member);
        put(writer.accessToken(), community, true, PASSWORD, null).then().statusCode(200);

        String enrollment = login(member, PASSWORD).then().statusCode(200)
                .body("status", equalTo("MFA_ENROLLMENT_REQUIRED"))
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(600))
                .body("required_by[0].id", equalTo(community))
                .body("required_by[0].name", notNullValue())
                .body("$", not(hasKey("access_token")))
                .extract().path("enrollment_token");

        // What the enrollment token may do...
        bearer(enrollment).get("/api/v1/me").then().statusCode(200)
                .body("two_factor.required_by[0].id", equalTo(community));
        // ...and what it may not.
        bearer(enrollment).get("/api/v1/me/security-events").then().statusCode(401);
        bearer(enrollment).get(policyPath(community)).then().statusCode(401);
        bearer(enrollment).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/backup-codes").then()
                .statusCode(401);
        bearer(enrollment).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/disable").then()
                .statusCode(401);
        bearer(enrollment).body(Map.of("code", "123456")).post("/api/v1/auth/login/verify").then().statusCode(401);
        bearer(enrollment).body(Map.of("name", "x")).post("/api/v1/admin/communities").then().statusCode(401);

        byte[] secret = secretOf(startEnrollment(enrollment));
        bearer(enrollment).accept("image/png").get("/api/v1/me/two-factor/enrollment/qr-code").then().statusCode(200);
        String access = bearer(enrollment).body(Map.of("code", code(clock, secret, 0)))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200)
                .body("amr", contains("pwd", "otp")).body("backup_codes", hasSize(10))
                .extract().path("access_token");
        bearer(access).get("/api/v1/me/security-events").then().statusCode(200);
        bearer(access).get(policyPath(community)).then().statusCode(200);

        // A member of a community that requires 2FA cannot turn it off.
        bearer(access).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/disable").then()
                .statusCode(409).body("type", equalTo("/problems/two-factor-enforced"))
                .body("required_by[0].id", equalTo(community));
        assertNotNull(beforeToken);
    }

    @Test
    void anAdministratorResetsALostSecondFactor() {
        String community = createCommunity(unique("c"), null);
        Enrolled writer = enrolledUser(clock, unique("w"), Map.of(community, WRITE));
        Enrolled member = enrolledUser(clock, unique("m"), Map.of(community, List.of()));
        put(writer.accessToken(), community, true, PASSWORD, null).then().statusCode(200);

        bearer(member.accessToken()).delete("/api/v1/admin/users/" + member.userId() + "/two-factor").then()
                .statusCode(403);
        bearer(adminToken()).delete("/api/v1/admin/users/" + member.userId() + "/two-factor").then().statusCode(204);
        bearer(adminToken()).delete("/api/v1/admin/users/" + java.util.UUID.randomUUID() + "/two-factor").then()
                .statusCode(404).body("type", equalTo("/problems/not-found"));

        // Tokens issued before the reset stop working; the next login must enroll again.
        bearer(member.accessToken()).get("/api/v1/me").then().statusCode(401);
        login(member.username(), PASSWORD).then().statusCode(200).body("status", equalTo("MFA_ENROLLMENT_REQUIRED"));
        bearer(writer.accessToken()).get("/api/v1/communities/" + community + "/security-events").then()
                .body("find { it.type == 'TWO_FACTOR_RESET_BY_ADMIN' }.user.id", equalTo(member.userId()));
    }

    @Test
    void managedListNeedsTheWriterRole() {
        String mssp = createCommunity(unique("mssp"), null);
        String reader = unique("r");
        createUser(reader, Map.of(mssp, List.of()));
        bearer(accessToken(reader)).get("/api/v1/communities/" + mssp + "/managed").then().statusCode(403);
    }
}
