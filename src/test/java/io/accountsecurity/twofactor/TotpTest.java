package io.accountsecurity.twofactor;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.jboss.aerogear.security.otp.api.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6238 vectors, and each defect of aerogear-otp-java's own Totp that our class does not have. */
class TotpTest {

    /** The RFC 6238 Appendix B SHA-1 seed: ASCII "12345678901234567890". */
    static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    static Totp at(long epochSeconds) {
        return new Totp(Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
    }

    @ParameterizedTest
    @CsvSource({ "59, 287082", "1111111109, 081804", "1111111111, 050471", "1234567890, 005924",
            "2000000000, 279037", "20000000000, 353130" })
    void rfc6238Sha1VectorsTruncatedToSixDigits(long time, String expected) {
        Totp totp = at(time);
        assertEquals(expected, Totp.codeAt(RFC_SECRET, totp.currentStep()));
        assertEquals(totp.currentStep(), totp.matchingStep(RFC_SECRET, expected));
    }

    @Test
    void leadingZerosAreKeptAndRequired() {
        // At T=1234567890 the code is 005924. aerogear compares numbers, so "5924" and "0005924" pass its verify().
        var aerogear = new org.jboss.aerogear.security.otp.Totp(Base32.encode(RFC_SECRET), fixedAerogearClock(1234567890L));
        assertTrue(aerogear.verify("5924"), "aerogear's defect this class exists for");
        assertTrue(aerogear.verify("0005924"), "aerogear's defect this class exists for");
        Totp totp = at(1234567890L);
        assertEquals("005924", Totp.codeAt(RFC_SECRET, totp.currentStep()));
        assertEquals(-1, totp.matchingStep(RFC_SECRET, "5924"));
        assertEquals(-1, totp.matchingStep(RFC_SECRET, "0005924"));
        assertEquals(totp.currentStep(), totp.matchingStep(RFC_SECRET, "005924"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "+50471", " 50471", "0050471", "50471", "050471 ", "05047１", "", "abcdef", "-50471" })
    void onlyExactlySixAsciiDigitsAreAccepted(String input) {
        // aerogear parses these with Long.parseLong, so several of them pass its verify().
        assertFalse(Totp.isWellFormed(input), input);
        assertEquals(-1, at(1111111111L).matchingStep(RFC_SECRET, input));
    }

    @Test
    void aerogearAcceptsASignedCodeWeRefuseIt() {
        var aerogear = new org.jboss.aerogear.security.otp.Totp(Base32.encode(RFC_SECRET), fixedAerogearClock(59L));
        assertTrue(aerogear.verify("+287082"), "aerogear's defect this class exists for");
        assertEquals(-1, at(59L).matchingStep(RFC_SECRET, "+287082"));
    }

    @Test
    void oneStepEitherSideOfNowIsAcceptedNotTwo() {
        Totp totp = at(1111111111L);
        long now = totp.currentStep();
        assertEquals(now - 1, totp.matchingStep(RFC_SECRET, Totp.codeAt(RFC_SECRET, now - 1)));
        assertEquals(now, totp.matchingStep(RFC_SECRET, Totp.codeAt(RFC_SECRET, now)));
        // aerogear refuses the next step; a phone slightly ahead of the server is common.
        assertEquals(now + 1, totp.matchingStep(RFC_SECRET, Totp.codeAt(RFC_SECRET, now + 1)));
        assertEquals(-1, totp.matchingStep(RFC_SECRET, Totp.codeAt(RFC_SECRET, now - 2)));
        assertEquals(-1, totp.matchingStep(RFC_SECRET, Totp.codeAt(RFC_SECRET, now + 2)));
    }

    @Test
    void aerogearRefusesTheNextStep() {
        long t = 1111111111L;
        String next = Totp.codeAt(RFC_SECRET, at(t).currentStep() + 1);
        var aerogear = new org.jboss.aerogear.security.otp.Totp(Base32.encode(RFC_SECRET), fixedAerogearClock(t));
        assertFalse(aerogear.verify(next));
    }

    @Test
    void timeComesFromTheInjectedClock() {
        assertNotEquals(at(59L).currentStep(), at(1111111111L).currentStep());
        assertEquals(1L, at(59L).currentStep());
    }

    private static org.jboss.aerogear.security.otp.api.Clock fixedAerogearClock(long epochSeconds) {
        return new org.jboss.aerogear.security.otp.api.Clock() {
            @Override
            public long getCurrentInterval() {
                return epochSeconds / 30;
            }
        };
    }
}
