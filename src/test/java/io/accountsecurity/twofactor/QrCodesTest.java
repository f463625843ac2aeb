package io.accountsecurity.twofactor;

import static org.junit.jupiter.api.Assertions.*;

import java.security.SecureRandom;

import org.jboss.aerogear.security.otp.api.Base32;
import org.junit.jupiter.api.Test;

/** Every otpauth URI we can produce renders to a QR code that a reader decodes back to the same text. */
class QrCodesTest {

    @Test
    void everyRenderedCodeDecodesToItsUri() throws Exception {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            byte[] secret = new byte[20];
            random.nextBytes(secret);
            String username = "user." + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
                    + "x".repeat(random.nextInt(40));
            String uri = "otpauth://totp/SEKOIA.IO:" + username + "?secret=" + Base32.encode(secret)
                    + "&issuer=SEKOIA.IO&algorithm=SHA1&digits=6&period=30";
            assertEquals(uri, TwoFactorFlowTest.decodeQr(QrCodes.render(uri)), "username length " + username.length());
        }
    }
}
