package io.accountsecurity.twofactor;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.Parallel;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

@QuarkusTest
class ThrottleTest {

    @Inject
    MutableClock clock;

    @Test
    void fiveWrongCodesLockTheAccountEvenForTheRightCode() {
        Enrolled user = enrolledUser(clock, unique("uma"), Map.of());
        String mfa = mfaToken(user.username());
        String wrong = code(clock, user.secret(), 7);
        for (int i = 0; i < 5; i++) {
            verify(mfa, "code", wrong).then().statusCode(401).body("type", equalTo("/problems/invalid-code"));
        }
        String right = code(clock, user.secret(), 1);
        int retryAfter = Integer.parseInt(verify(mfa, "code", right).then().statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/too-many-attempts"))
                .extract().header("Retry-After"));
        assertTrue(retryAfter > 50 && retryAfter <= 60, "Retry-After " + retryAfter);
        verify(mfa, "backup_code", user.backupCodes().get(0)).then().statusCode(429);

        bearer(user.accessToken()).get("/api/v1/me/security-events").then()
                .body("type", hasItem("LOCKED_OUT"));

        // After the lockout, the right code works and resets the count.
        clock.shift(Duration.ofSeconds(61));
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 0)).then().statusCode(200);
    }

    @Test
    void repeatedLockoutsLastLonger() {
        Enrolled user = enrolledUser(clock, unique("vic"), Map.of());
        String wrong = code(clock, user.secret(), 9);
        for (int i = 0; i < 5; i++) {
            verify(mfaToken(user.username()), "code", wrong).then().statusCode(401);
        }
        verify(mfaToken(user.username()), "code", wrong).then().statusCode(429);
        clock.shift(Duration.ofSeconds(61));
        for (int i = 0; i < 5; i++) {
            verify(mfaToken(user.username()), "code", wrong).then().statusCode(401);
        }
        int retryAfter = Integer.parseInt(verify(mfaToken(user.username()), "code", wrong).then().statusCode(429)
                .extract().header("Retry-After"));
        assertTrue(retryAfter > 110 && retryAfter <= 120, "the second lockout doubles: " + retryAfter);
    }

    @Test
    void tenWrongPasswordsLockTheAccountForThatClient() {
        String username = unique("walt");
        createUser(username);
        for (int i = 0; i < 10; i++) {
            // An untrusted client's X-Forwarded-For changes nothing.
            json().header("X-Forwarded-For", "10.0.0." + i)
                    .body(Map.of("username", username, "password", "wrong password " + i))
                    .post("/api/v1/auth/login").then().statusCode(401);
        }
        login(username, PASSWORD).then().statusCode(429).header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/too-many-attempts"));
        clock.shift(Duration.ofSeconds(61));
        login(username, PASSWORD).then().statusCode(200);
    }

    @Test
    void fortyConcurrentWrongPasswordsAreTenGuesses() throws Exception {
        String username = unique("wes");
        createUser(username);
        Callable<Response> wrongPassword = () -> login(username, "wrong password");
        List<Integer> statuses = Parallel.run(40, () -> wrongPassword.call().statusCode());
        // At most ten are checked; the others are refused while those are in flight or once they locked the account.
        // An attempt that reads the counter just after another's failure was counted, before that one gave its slot
        // back, counts that failure twice and is refused too: the slots err on the safe side, so the burst may be
        // fewer than ten guesses, and the guesses that follow it make up the rest, never more.
        long checked = statuses.stream().filter(s -> s == 401).count();
        assertTrue(checked >= 1 && checked <= 10, statuses.toString());
        assertEquals(40, checked + statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        assertEquals(10, checked + guessesUntilLockout(wrongPassword), statuses.toString());
        login(username, PASSWORD).then().statusCode(429).body("type", equalTo("/problems/too-many-attempts"));
        // Every attempt gave its slot back: after the lockout, one right password is enough.
        clock.shift(Duration.ofSeconds(61));
        login(username, PASSWORD).then().statusCode(200);
    }

    @Test
    void concurrentWrongPasswordsOfAReauthenticationAreTenGuesses() throws Exception {
        Enrolled user = enrolledUser(clock, unique("wyn"), Map.of());
        Callable<Response> wrongPassword = () -> bearer(user.accessToken()).body(Map.of("password", "wrong password"))
                .post("/api/v1/me/two-factor/backup-codes");
        List<Integer> statuses = Parallel.run(30, () -> wrongPassword.call().statusCode());
        long checked = statuses.stream().filter(s -> s == 401).count();
        assertTrue(checked >= 1 && checked <= 10, statuses.toString());
        assertEquals(30, checked + statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        assertEquals(10, checked + guessesUntilLockout(wrongPassword), statuses.toString());
        clock.shift(Duration.ofSeconds(61));
        bearer(user.accessToken()).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/backup-codes")
                .then().statusCode(201);
    }

    /**
     * Sends {@code attempt} one at a time until the lockout refuses it; answers how many were checked (401) before.
     * The lockout's Retry-After is the minute of the first lockout, not the second of a busy refusal.
     */
    private static long guessesUntilLockout(Callable<Response> attempt) throws Exception {
        for (int checked = 0; checked <= 10; checked++) {
            Response response = attempt.call();
            if (response.statusCode() == 429) {
                int retryAfter = Integer.parseInt(response.header("Retry-After"));
                assertTrue(retryAfter > 50 && retryAfter <= 60, "a lockout, not a busy refusal: " + retryAfter);
                return checked;
            }
            assertEquals(401, response.statusCode(), response.asString());
        }
        return fail("eleven guesses in a row were checked");
    }

    @Test
    void unknownAccountsAreThrottledLikeKnownOnes() {
        String nobody = unique("nobody");
        for (int i = 0; i < 10; i++) {
            login(nobody, "wrong password").then().statusCode(401);
        }
        login(nobody, "wrong password").then().statusCode(429);
    }

    @Test
    void aSuccessResetsTheCount() {
        Enrolled user = enrolledUser(clock, unique("xena"), Map.of());
        String wrong = code(clock, user.secret(), 11);
        for (int i = 0; i < 4; i++) {
            verify(mfaToken(user.username()), "code", wrong).then().statusCode(401);
        }
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 1)).then().statusCode(200);
        for (int i = 0; i < 4; i++) {
            verify(mfaToken(user.username()), "code", wrong).then().statusCode(401);
        }
        clock.shift(Duration.ofSeconds(30));
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 1)).then().statusCode(200);
    }
}
