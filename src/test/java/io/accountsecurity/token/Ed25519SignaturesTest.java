package io.accountsecurity.token;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Ed25519 signatures of {@link Ed25519Signatures} are the JDK's, bit for bit, for every key it is given. */
class Ed25519SignaturesTest {

    static final byte[] MESSAGE = "header.payload".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void install() {
        Ed25519Signatures.install();
    }

    @Test
    void signaturesAreTheJdksAndVerifyBothWays() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        for (String algorithm : new String[] { "Ed25519", "EdDSA" }) {
            Signature signer = Signature.getInstance(algorithm);
            byte[] ours = sign(signer, pair);
            assertEquals("AccountSecurityEd25519", signer.getProvider().getName());
            byte[] jdks = sign(Signature.getInstance(algorithm, "SunEC"), pair);
            // Ed25519 is deterministic: the same key and message give the same signature.
            assertArrayEquals(jdks, ours, algorithm);
            assertTrue(verify(Signature.getInstance(algorithm, "SunEC"), pair, ours, MESSAGE));
            assertTrue(verify(Signature.getInstance(algorithm), pair, jdks, MESSAGE));
        }
    }

    @Test
    void aSecondKeyIsNotConfusedWithTheFirst() throws Exception {
        KeyPair first = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        KeyPair second = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        byte[] byFirst = sign(Signature.getInstance("Ed25519"), first);
        byte[] bySecond = sign(Signature.getInstance("Ed25519"), second);
        assertFalse(java.util.Arrays.equals(byFirst, bySecond));
        assertTrue(verify(Signature.getInstance("Ed25519"), second, bySecond, MESSAGE));
        assertFalse(verify(Signature.getInstance("Ed25519"), second, byFirst, MESSAGE));
        assertFalse(verify(Signature.getInstance("Ed25519"), first, bySecond, MESSAGE));
        assertArrayEquals(byFirst, sign(Signature.getInstance("Ed25519"), first), "the first key again");
    }

    @Test
    void anAlteredMessageOrSignatureIsRefused() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        byte[] signature = sign(Signature.getInstance("Ed25519"), pair);
        byte[] altered = MESSAGE.clone();
        altered[0] ^= 1;
        assertFalse(verify(Signature.getInstance("Ed25519"), pair, signature, altered));
        byte[] badSignature = signature.clone();
        badSignature[10] ^= 1;
        assertFalse(verify(Signature.getInstance("Ed25519"), pair, badSignature, MESSAGE));
        assertFalse(verify(Signature.getInstance("Ed25519"), pair, new byte[12], MESSAGE), "a short signature");
    }

    @Test
    void anEd448KeyGoesToTheJdk() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed448", "SunEC").generateKeyPair();
        Signature signer = Signature.getInstance("EdDSA");
        byte[] signature = sign(signer, pair);
        assertEquals("SunEC", signer.getProvider().getName());
        assertEquals(114, signature.length);
        assertTrue(verify(Signature.getInstance("EdDSA", "SunEC"), pair, signature, MESSAGE));
    }

    private static byte[] sign(Signature signature, KeyPair pair) throws GeneralSecurityException {
        signature.initSign(pair.getPrivate());
        signature.update(MESSAGE);
        return signature.sign();
    }

    private static boolean verify(Signature signature, KeyPair pair, byte[] sig, byte[] message)
            throws GeneralSecurityException {
        signature.initVerify(pair.getPublic());
        signature.update(message);
        return signature.verify(sig);
    }
}
