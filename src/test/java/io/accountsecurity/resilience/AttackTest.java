package io.accountsecurity.resilience;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.Database;
import io.accountsecurity.support.LogCapture;
import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.Parallel;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.accountsecurity.twofactor.Totp;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/** Brute force, concurrent single use under 50 clients, and misused tokens that leave no trace in the logs. */
@QuarkusTest
class AttackTest {

    @Inject
    MutableClock clock;
    @Inject
    AgroalDataSource database;

    @Test
    void anAttackerWhoKnowsThePasswordGetsFiveGuessesPerLockoutAndFarFewerThan100ADay() {
        Enrolled victim = enrolledUser(clock, unique("victim"), Map.of());
        String wrong = code(clock, victim.secret(), 20);
        int guesses = 0;
        int refused = 0;
        Duration elapsed = Duration.ZERO;
        while (elapsed.compareTo(Duration.ofHours(24)) < 0) {
            // The attacker tries as fast as the service answers until it is locked out...
            Response answer = verify(mfaToken(victim.username()), "code", wrong);
            if (answer.statusCode() == 401) {
                guesses++;
                continue;
            }
            assertEquals(429, answer.statusCode());
            refused++;
            // ...then waits exactly as long as Retry-After says.
            Duration wait = Duration.ofSeconds(Long.parseLong(answer.header("Retry-After")) + 1);
            elapsed = elapsed.plus(wait);
            clock.shift(elapsed);
        }
        assertEquals(55, guesses, "5 guesses per lockout, lockouts doubling from 1 minute: 11 lockouts in a day");
        assertTrue(guesses < 100, "NIST SP 800-63B caps consecutive failures at 100");
        assertEquals(11, refused);
    }

    @Test
    void fiftyConcurrentClientsCannotReuseACodeABackupCodeOrConfirmTwice() throws Exception {
        // One enrollment confirmation.
        String username = unique("race");
        String userId = createUser(username);
        String token = accessToken(username);
        byte[] secret = secretOf(startEnrollment(token));
        String code = code(clock, secret, 0);
        List<Response> confirmations = Parallel.run(50, () -> bearer(token).body(Map.of("code", code))
                .post("/api/v1/me/two-factor/enrollment/confirm"));
        assertEquals(1, confirmations.stream().filter(r -> r.statusCode() == 200).count(), statuses(confirmations));
        assertTrue(confirmations.stream().allMatch(r -> r.statusCode() == 200 || r.statusCode() == 409
                || r.statusCode() == 401 || r.statusCode() == 429), statuses(confirmations));
        assertEquals(10, count("select count(*) from backup_codes where user_id = ?", userId));
        assertEquals(1, count("select count(*) from totp_credentials where user_id = ? and enabled_at is not null",
                userId));
        List<String> backupCodes = confirmations.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow()
                .jsonPath().getList("backup_codes");

        // One use of a TOTP step.
        String mfa = mfaToken(username);
        // The step is read once: a step boundary may pass during the requests.
        long nextStep = step(clock) + 1;
        String next = Totp.codeAt(secret, nextStep);
        List<Response> totp = Parallel.run(50, () -> verify(mfa, "code", next));
        assertEquals(1, totp.stream().filter(r -> r.statusCode() == 200).count(), statuses(totp));
        assertEquals(nextStep, count("select last_used_step from totp_credentials where user_id = ?", userId));

        // One use of a backup code (after the lockout the replays caused).
        clock.shift(Duration.ofHours(1));
        // (The mfa tokens first: 50 concurrent password steps of one account and client would be refused but ten.)
        List<String> mfaTokens = IntStream.range(0, 50).mapToObj(i -> mfaToken(username)).toList();
        AtomicInteger taken = new AtomicInteger();
        List<Response> backup = Parallel.run(50,
                () -> verify(mfaTokens.get(taken.getAndIncrement()), "backup_code", backupCodes.get(0)));
        assertEquals(1, backup.stream().filter(r -> r.statusCode() == 200).count(), statuses(backup));
        assertEquals(1, count("select count(*) from backup_codes where user_id = ? and used_at is not null", userId));
    }

    @Test
    void misusedTokensAreRefusedAndNeverLogged() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            String community = createCommunity(unique("c"), null);
            Enrolled user = enrolledUser(clock, unique("tok"), Map.of(community, List.of("COMMUNITY_WRITE_ROLE")));
            String mfa = mfaToken(user.username());
            String tampered = user.accessToken().substring(0, user.accessToken().length() - 4) + "AAAA";
            List<String> tokens = List.of(mfa, tampered);
            String[][] endpoints = { { "GET", "/api/v1/me" }, { "GET", "/api/v1/me/security-events" },
                    { "POST", "/api/v1/me/two-factor/enrollment" }, { "GET", "/api/v1/me/two-factor/enrollment/qr-code" },
                    { "POST", "/api/v1/me/two-factor/enrollment/confirm" }, { "POST", "/api/v1/me/two-factor/backup-codes" },
                    { "POST", "/api/v1/me/two-factor/disable" },
                    { "GET", "/api/v1/communities/" + community + "/authentication-policy" },
                    { "PUT", "/api/v1/communities/" + community + "/authentication-policy" },
                    { "GET", "/api/v1/communities/" + community + "/managed" },
                    { "GET", "/api/v1/communities/" + community + "/security-events" },
                    { "POST", "/api/v1/admin/communities" }, { "POST", "/api/v1/admin/users" },
                    { "PUT", "/api/v1/admin/communities/" + community + "/members/" + user.userId() },
                    { "DELETE", "/api/v1/admin/users/" + user.userId() + "/two-factor" } };
            for (String token : tokens) {
                for (String[] endpoint : endpoints) {
                    bearer(token).accept("*/*").body("{}").request(endpoint[0], endpoint[1]).then()
                            .statusCode(401).body("type", equalTo("/problems/unauthorized"));
                }
            }
            // The access token is not accepted for the second step, the tampered one nowhere.
            bearer(user.accessToken()).body(Map.of("code", "123456")).post("/api/v1/auth/login/verify").then()
                    .statusCode(401);
            bearer(tampered).body(Map.of("code", "123456")).post("/api/v1/auth/login/verify").then().statusCode(401);
            for (String line : log.lines()) {
                for (String token : List.of(mfa, tampered, user.accessToken())) {
                    assertFalse(line.contains(token.split("\\.")[1]), "a token reached the log: " + line);
                }
            }
        }
    }

    private long count(String sql, String userId) throws Exception {
        return Database.number(database, sql, UUID.fromString(userId));
    }

    private static String statuses(List<Response> responses) {
        return responses.stream().map(r -> Integer.toString(r.statusCode())).toList().toString();
    }
}
