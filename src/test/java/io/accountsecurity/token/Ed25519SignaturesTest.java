package io.accountsecurity.token;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;

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

    @Test
    void ownKeysAreCheckedBySigningAgainWithTheJdksAnswers() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        KeyPair stranger = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        Ed25519Signatures.signsWith(pair.getPrivate());
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            byte[] message = new byte[1 + random.nextInt(600)];
            random.nextBytes(message);
            byte[] signature = sign(Signature.getInstance("Ed25519"), pair.getPrivate(), message);
            byte[] altered = signature.clone();
            altered[random.nextInt(altered.length)] ^= (byte) (1 << random.nextInt(8));
            byte[] otherMessage = message.clone();
            otherMessage[random.nextInt(otherMessage.length)] ^= 1;
            byte[] byStranger = sign(Signature.getInstance("Ed25519"), stranger.getPrivate(), message);
            for (byte[][] c : new byte[][][] { { signature, message }, { altered, message }, { signature, otherMessage },
                    { byStranger, message }, { Arrays.copyOf(signature, 63), message }, { new byte[64], message } }) {
                assertEquals(jdkAccepts(pair, c[0], c[1]), verify(Signature.getInstance("Ed25519"), pair, c[0], c[1]));
            }
            assertTrue(verify(Signature.getInstance("Ed25519"), pair, signature, message));
        }
    }

    /**
     * A valid Ed25519 signature with another nonce than RFC 8032's (which only the private key's holder can make): the
     * JDK accepts it; signing again refuses it for a key the service signs with, the verification equation accepts it
     * for any other key.
     */
    @Test
    void aSignatureOfTheServicesKeyWithAnotherNonceIsRefused() throws Exception {
        KeyPair own = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        Ed25519Signatures.signsWith(own.getPrivate());
        for (KeyPair pair : new KeyPair[] { own, other }) {
            byte[] deterministic = sign(Signature.getInstance("Ed25519", "SunEC"), pair.getPrivate(), MESSAGE);
            byte[] anotherNonce = Curve.sign(pair, MESSAGE, new BigInteger(250, new SecureRandom()));
            assertFalse(Arrays.equals(deterministic, anotherNonce));
            assertTrue(verify(Signature.getInstance("Ed25519", "SunEC"), pair, anotherNonce, MESSAGE), "valid");
            assertEquals(pair == other, verify(Signature.getInstance("Ed25519"), pair, anotherNonce, MESSAGE));
            assertTrue(verify(Signature.getInstance("Ed25519"), pair, deterministic, MESSAGE));
        }
    }

    /** RFC 8032's Ed25519 in affine coordinates, slow and plain, to sign with a nonce of the test's choice. */
    static final class Curve {
        static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
        static final BigInteger[] B = {
                new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202"),
                new BigInteger("46316835694926478169428394003475163141307993866256225615783033603165251855960") };

        static byte[] sign(KeyPair pair, byte[] message, BigInteger r) throws GeneralSecurityException {
            byte[] h = MessageDigest.getInstance("SHA-512").digest(((EdECPrivateKey) pair.getPrivate()).getBytes().get());
            h[0] &= (byte) 248;
            h[31] &= 127;
            h[31] |= 64;
            BigInteger a = littleEndian(Arrays.copyOf(h, 32));
            byte[] publicKey = encode(multiply(a, B));
            byte[] encoded = pair.getPublic().getEncoded();
            assertArrayEquals(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length), publicKey, "A = aB");
            byte[] rEncoded = encode(multiply(r, B));
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            sha512.update(rEncoded);
            sha512.update(publicKey);
            BigInteger k = littleEndian(sha512.digest(message)).mod(L);
            byte[] signature = Arrays.copyOf(rEncoded, 64);
            System.arraycopy(toLittleEndian(r.add(k.multiply(a)).mod(L)), 0, signature, 32, 32);
            return signature;
        }

        static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
            BigInteger t = D.multiply(p[0]).multiply(q[0]).multiply(p[1]).multiply(q[1]).mod(P);
            BigInteger x = p[0].multiply(q[1]).add(q[0].multiply(p[1])).multiply(BigInteger.ONE.add(t).modInverse(P));
            BigInteger y = p[1].multiply(q[1]).add(p[0].multiply(q[0])).multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P));
            return new BigInteger[] { x.mod(P), y.mod(P) };
        }

        static BigInteger[] multiply(BigInteger n, BigInteger[] point) {
            BigInteger[] result = { BigInteger.ZERO, BigInteger.ONE };
            for (int i = n.bitLength() - 1; i >= 0; i--) {
                result = add(result, result);
                if (n.testBit(i)) {
                    result = add(result, point);
                }
            }
            return result;
        }

        static byte[] encode(BigInteger[] point) {
            byte[] bytes = toLittleEndian(point[1]);
            bytes[31] |= (byte) (point[0].testBit(0) ? 0x80 : 0);
            return bytes;
        }

        static BigInteger littleEndian(byte[] bytes) {
            byte[] big = bytes.clone();
            for (int i = 0; i < big.length / 2; i++) {
                byte b = big[i];
                big[i] = big[big.length - 1 - i];
                big[big.length - 1 - i] = b;
            }
            return new BigInteger(1, big);
        }

        static byte[] toLittleEndian(BigInteger n) {
            byte[] out = new byte[32];
            byte[] big = n.toByteArray();
            for (int i = 0; i < big.length && i < 32; i++) {
                out[i] = big[big.length - 1 - i];
            }
            return out;
        }
    }

    /** The JDK's answer; it throws for a signature of a wrong size or an S above the group order, a refusal too. */
    private static boolean jdkAccepts(KeyPair pair, byte[] signature, byte[] message) throws GeneralSecurityException {
        try {
            return verify(Signature.getInstance("Ed25519", "SunEC"), pair, signature, message);
        } catch (SignatureException e) {
            return false;
        }
    }

    private static byte[] sign(Signature signature, PrivateKey key, byte[] message)
            throws GeneralSecurityException {
        signature.initSign(key);
        signature.update(message);
        return signature.sign();
    }

    private static byte[] sign(Signature signature, KeyPair pair) throws GeneralSecurityException {
        return sign(signature, pair.getPrivate(), MESSAGE);
    }

    private static boolean verify(Signature signature, KeyPair pair, byte[] sig, byte[] message)
            throws GeneralSecurityException {
        signature.initVerify(pair.getPublic());
        signature.update(message);
        return signature.verify(sig);
    }
}
