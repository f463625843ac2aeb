package io.accountsecurity.db;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Hibernate keeps one plan per statement. Hibernate Reactive's native selects never match a cached plan (its result
 * set mapping has no equality), so each one executed would add an entry that the next lookups walk: the statements of
 * a login, a wrong password, a re-authentication and a policy read stay out of that path (HQL, or a list-bound native
 * select, which Hibernate does not cache).
 */
@QuarkusTest
class PlanCacheTest {

    @Inject
    Mutiny.SessionFactory sessionFactory;
    @Inject
    MutableClock clock;

    @Test
    void loginsAddNoPlans() {
        Enrolled user = enrolledUser(clock, unique("plans"), Map.of());
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 1)).then().statusCode(200);
        backupCodeLogin(user, 0);
        long misses = sessionFactory.getStatistics().getQueryPlanCacheMissCount();
        for (int i = 1; i <= 5; i++) {
            backupCodeLogin(user, i);
        }
        assertEquals(misses, sessionFactory.getStatistics().getQueryPlanCacheMissCount(),
                "plans made by five more logins of the same kind");
        assertTrue(sessionFactory.getStatistics().getQueryPlanCacheHitCount() > 0, "statistics are on in tests");
    }

    @Test
    void wrongPasswordsAddNoPlans() {
        String known = unique("plans-wrong");
        createUser(known);
        login(known, "not the password of " + known).then().statusCode(401);
        login(unique("plans-nobody"), "not anyone's password").then().statusCode(401);
        long misses = sessionFactory.getStatistics().getQueryPlanCacheMissCount();
        for (int i = 0; i < 3; i++) {
            login(known, "still not the password " + i).then().statusCode(401);
            login(unique("plans-nobody"), "not anyone's password").then().statusCode(401);
        }
        assertEquals(misses, sessionFactory.getStatistics().getQueryPlanCacheMissCount(),
                "plans made by six more wrong passwords");
    }

    @Test
    void reauthenticationsAddNoPlans() {
        String username = unique("plans-reauth");
        createUser(username);
        String token = accessToken(username);
        startEnrollment(token);
        bearer(token).body(Map.of("password", "not the password")).post("/api/v1/me/two-factor/enrollment")
                .then().statusCode(401);
        long misses = sessionFactory.getStatistics().getQueryPlanCacheMissCount();
        for (int i = 0; i < 3; i++) {
            startEnrollment(token);
            bearer(token).body(Map.of("password", "not the password")).post("/api/v1/me/two-factor/enrollment")
                    .then().statusCode(401);
        }
        assertEquals(misses, sessionFactory.getStatistics().getQueryPlanCacheMissCount(),
                "plans made by six more password re-authentications");
    }

    @Test
    void policyReadsAddNoPlans() {
        String community = createCommunity(unique("plans-community"), null);
        String username = unique("plans-writer");
        createUser(username, Map.of(community, List.of("COMMUNITY_WRITE_ROLE")));
        String token = accessToken(username);
        String policy = "/api/v1/communities/" + community + "/authentication-policy";
        bearer(token).get(policy).then().statusCode(200).body("members_total", equalTo(1));
        long misses = sessionFactory.getStatistics().getQueryPlanCacheMissCount();
        for (int i = 0; i < 3; i++) {
            bearer(token).get(policy).then().statusCode(200).body("members_without_two_factor", equalTo(1));
        }
        assertEquals(misses, sessionFactory.getStatistics().getQueryPlanCacheMissCount(),
                "plans made by three more reads of a policy with its member counts");
    }

    /** A login with a backup code (each is accepted once, whatever the clock). */
    private void backupCodeLogin(Enrolled user, int backupCode) {
        verify(mfaToken(user.username()), "backup_code", user.backupCodes().get(backupCode)).then().statusCode(200);
    }
}
