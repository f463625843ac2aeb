package io.accountsecurity.password;

import static io.accountsecurity.support.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Beside the (account, address) counter, the account's own (NIST's ceiling of 100, whatever the addresses) and the
 * address's own (an address spraying many accounts). The counters are brought near their limit in the database, as
 * many attackers' addresses or many accounts would, then the next wrong password goes through the real login.
 */
@QuarkusTest
class PasswordCountersTest {

    @Inject
    AgroalDataSource database;
    @Inject
    io.accountsecurity.config.SecurityConfig config;

    @Test
    void theHundredthWrongPasswordFromAnywherePausesTheAccount() throws Exception {
        String username = unique("nist");
        createUser(username);
        counter("pwd-account:" + username.toLowerCase(), config.throttle().accountPasswordFailures() - 1);
        login(username, "a wrong password").then().statusCode(401);
        // Locked for every address now, even with the right password; other accounts are untouched.
        login(username, PASSWORD).then().statusCode(429).header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/too-many-attempts"));
        String other = unique("free");
        createUser(other);
        login(other, PASSWORD).then().statusCode(200);
    }

    @Test
    void anAddressThatSpraysAccountsIsPausedWhateverTheAccount() throws Exception {
        String sprayed = unique("spray");
        createUser(sprayed);
        String key = "pwd-address:127.0.0.1";
        try {
            counter(key, config.throttle().addressPasswordFailures() - 1);
            login(unique("nobody"), "a wrong password").then().statusCode(401);
            login(sprayed, PASSWORD).then().statusCode(429).header("Retry-After", notNullValue());
        } finally {
            // Every test shares this address: unlock it.
            try (Connection c = database.getConnection();
                    PreparedStatement s = c.prepareStatement("delete from attempt_counters where counter_key = ?")) {
                s.setString(1, key);
                s.executeUpdate();
            }
        }
        login(sprayed, PASSWORD).then().statusCode(200);
    }

    @Test
    void aRightPasswordEndsTheConsecutiveFailuresOfAllThree() throws Exception {
        String username = unique("reset");
        createUser(username);
        login(username, "a wrong password").then().statusCode(401);
        assertEquals(1, failures("pwd-account:" + username.toLowerCase()));
        login(username, PASSWORD).then().statusCode(200);
        assertEquals(0, failures("pwd-account:" + username.toLowerCase()));
        assertEquals(0, failures("pwd:" + username.toLowerCase() + "|127.0.0.1"));
    }

    private void counter(String key, int failures) throws Exception {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into attempt_counters (counter_key, failures, lockouts, updated_at) values (?, ?, 0, now()) "
                        + "on conflict (counter_key) do update set failures = excluded.failures")) {
            s.setString(1, key);
            s.setInt(2, failures);
            s.executeUpdate();
        }
    }

    private long failures(String key) throws Exception {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "select coalesce(sum(failures), 0) from attempt_counters where counter_key = ?")) {
            s.setString(1, key);
            try (var r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
