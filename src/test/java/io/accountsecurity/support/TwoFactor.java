package io.accountsecurity.support;

import static io.accountsecurity.support.Api.*;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jboss.aerogear.security.otp.api.Base32;

import io.accountsecurity.twofactor.Totp;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Enrolls test accounts in 2FA through the API and computes their codes. */
public final class TwoFactor {

    private TwoFactor() {
    }

    public record Enrolled(String username, String userId, byte[] secret, List<String> backupCodes,
            String accessToken, long enrolledStep) {
    }

    public static byte[] secretOf(JsonPath enrollment) {
        return decode(enrollment.getString("secret"));
    }

    public static byte[] decode(String base32) {
        try {
            return Base32.decode(base32);
        } catch (Base32.DecodingException e) {
            throw new AssertionError(e);
        }
    }

    /** The code of the step {@code offset} steps from the service clock's current one. */
    public static String code(Clock clock, byte[] secret, long offset) {
        return Totp.codeAt(secret, new Totp(clock).currentStep() + offset);
    }

    /**
     * Shifts the clock by about {@code by}, to the middle of a time step: the service's clock follows the real time,
     * so a test that checks the edges of the accepted window must not run across a step's end.
     */
    public static void shiftToMidStep(MutableClock clock, Duration by) {
        clock.shift(by);
        long intoStep = Math.floorMod(clock.millis(), Totp.PERIOD_SECONDS * 1000L);
        clock.shift(by.plusMillis(Totp.PERIOD_SECONDS * 500L - intoStep));
    }

    public static long step(Clock clock) {
        return new Totp(clock).currentStep();
    }

    public static JsonPath startEnrollment(String token) {
        return bearer(token).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/enrollment")
                .then().statusCode(201).extract().jsonPath();
    }

    /** A new user, member of the given communities, with 2FA enabled (the current step's code is used). */
    public static Enrolled enrolledUser(Clock clock, String username, Map<String, List<String>> memberships) {
        String userId = createUser(username, memberships);
        String token = accessToken(username);
        byte[] secret = secretOf(startEnrollment(token));
        long step = step(clock);
        JsonPath confirmed = bearer(token).body(Map.of("code", Totp.codeAt(secret, step)))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200).extract().jsonPath();
        return new Enrolled(username, userId, secret, confirmed.getList("backup_codes"),
                confirmed.getString("access_token"), step);
    }

    public static String mfaToken(String username) {
        return login(username, PASSWORD).then().statusCode(200).extract().path("mfa_token");
    }

    public static Response verify(String mfaToken, String field, String value) {
        return bearer(mfaToken).body(Map.of(field, value)).post("/api/v1/auth/login/verify");
    }
}
