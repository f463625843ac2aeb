package io.accountsecurity.db;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Hibernate keeps one plan per statement. Hibernate Reactive's native selects never match a cached plan (its result
 * set mapping has no equality), so each one executed would add an entry that the next lookups walk: the login's
 * statements, and those of a wrong password, stay out of that path (HQL, or a list-bound native select, which
 * Hibernate does not cache).
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

    /** A login with a backup code (each is accepted once, whatever the clock). */
    private void backupCodeLogin(Enrolled user, int backupCode) {
        verify(mfaToken(user.username()), "backup_code", user.backupCodes().get(backupCode)).then().statusCode(200);
    }
}
