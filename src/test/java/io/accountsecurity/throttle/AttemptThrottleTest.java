package io.accountsecurity.throttle;

import static io.accountsecurity.support.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.Database;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/** The counters that password attempts leave behind: every attempt gives its slot back, and empty ones are pruned. */
@QuarkusTest
class AttemptThrottleTest {

    @Inject
    AgroalDataSource database;
    @Inject
    AttemptThrottle throttle;

    /** The key of the user's (account, address) counter, whatever address the tests connect from. */
    private String pair(String username) throws Exception {
        return (String) Database.value(database, "select counter_key from attempt_counters where counter_key like ?",
                "pwd:" + username.toLowerCase(java.util.Locale.ROOT) + "|%");
    }

    @Test
    void attemptsGiveTheirSlotsBackAndCountersWithNothingInThemArePruned() throws Throwable {
        // A right password from this address first: it clears the failures that other tests left on the address's
        // counter, which would make the right login below reset (delete) its own counters.
        String clearing = unique("clearing");
        createUser(clearing);
        login(clearing, PASSWORD).then().statusCode(200);
        String right = unique("prune");
        createUser(right);
        String wrong = unique("kept");
        createUser(wrong);
        login(right, PASSWORD).then().statusCode(200);
        login(wrong, "a wrong password").then().statusCode(401);
        String rightKey = pair(right);
        String wrongKey = pair(wrong);
        
        assertEquals(0, Database.number(database, "select in_flight from attempt_counters where counter_key = ?",
                rightKey));
        assertEquals(1, Database.number(database, "select failures from attempt_counters where counter_key = ?",
                wrongKey));

        // A day later: the empty counter goes, the one that holds a failure stays.
        Database.number(database, "with aged as (update attempt_counters set updated_at = now() - interval '2 days', "
                + "in_flight_at = now() - interval '2 days' where counter_key in (?, ?) returning 1) "
                + "select count(*) from aged", rightKey, wrongKey);
        VertxContextSupport.subscribeAndAwait(() -> throttle.prune());
        assertEquals(0, Database.number(database, "select count(*) from attempt_counters where counter_key = ?",
                rightKey));
        assertEquals(1, Database.number(database, "select count(*) from attempt_counters where counter_key = ?",
                wrongKey));
    }
}
