package io.accountsecurity.twofactor;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;

import org.jboss.aerogear.security.otp.api.Hash;
import org.jboss.aerogear.security.otp.api.Hmac;

/**
 * RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second steps) with aerogear-otp-java as the HMAC engine only. That archived
 * library's own {@code Totp} drops leading zeros, parses input with {@code Long.parseLong} (so "+12345" or " 12345"
 * can pass), accepts only the current and previous step and compares with {@code ==}. Here: exactly six ASCII digits,
 * one step either side of now, time from the injected clock, and a constant-time comparison of every candidate.
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final int PERIOD_SECONDS = 30;
    /** Steps accepted on either side of the current one (clock drift between phone and server). */
    public static final int WINDOW = 1;
    private static final int MODULUS = 1_000_000;

    private final Clock clock;

    public Totp(Clock clock) {
        this.clock = clock;
    }

    public long currentStep() {
        return Math.floorDiv(Math.floorDiv(clock.millis(), 1000L), PERIOD_SECONDS);
    }

    /** The code of a time step, always six digits with its leading zeros. */
    public static String codeAt(byte[] secret, long step) {
        byte[] mac;
        try {
            mac = new Hmac(Hash.SHA1, secret, step).digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
        // RFC 4226 dynamic truncation.
        int offset = mac[mac.length - 1] & 0x0f;
        int binary = ((mac[offset] & 0x7f) << 24) | ((mac[offset + 1] & 0xff) << 16)
                | ((mac[offset + 2] & 0xff) << 8) | (mac[offset + 3] & 0xff);
        String digits = Integer.toString(binary % MODULUS);
        return "0".repeat(DIGITS - digits.length()) + digits;
    }

    /** Exactly six ASCII digits: no sign, space, other script's digits or extra length. */
    public static boolean isWellFormed(String code) {
        if (code == null || code.length() != DIGITS) {
            return false;
        }
        for (int i = 0; i < DIGITS; i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The time step whose code this is, among the current step and {@link #WINDOW} on either side, or -1. Every
     * candidate is computed and compared in constant time, whatever matches.
     */
    public long matchingStep(byte[] secret, String code) {
        if (!isWellFormed(code)) {
            return -1;
        }
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long now = currentStep();
        long matched = -1;
        for (long step = now - WINDOW; step <= now + WINDOW; step++) {
            boolean equal = MessageDigest.isEqual(given, codeAt(secret, step).getBytes(StandardCharsets.US_ASCII));
            matched = equal ? step : matched;
        }
        return matched;
    }
}
