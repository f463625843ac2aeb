package io.accountsecurity.token;

import static io.accountsecurity.support.OpenSsl.openssl;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.accountsecurity.config.JwtConfig;
import io.accountsecurity.support.JwtSettings;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Keys as operators make them with OpenSSL, of each supported type: read from PEM files, signing the algorithm that
 * the key type implies, published in the JWK Set, and verified, also after a rotation to another key type.
 */
class SigningKeysTest {

    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        dir = Files.createTempDirectory("signing-keys-test");
        openssl("genpkey", "-algorithm", "ed25519", "-out", dir.resolve("ed25519.pem"));
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", dir.resolve("rsa.pem"));
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", dir.resolve("ec.pem"));
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", dir.resolve("rsa1024.pem"));
        openssl("genpkey", "-algorithm", "ed448", "-out", dir.resolve("ed448.pem"));
        for (String curve : List.of("secp256k1", "brainpoolP256r1", "P-384")) {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve, "-out",
                    dir.resolve(curve + ".pem"));
        }
        openssl("pkey", "-in", dir.resolve("secp256k1.pem"), "-pubout", "-out", dir.resolve("secp256k1.pub.pem"));
        for (String name : List.of("ed25519", "rsa", "ec")) {
            openssl("pkey", "-in", dir.resolve(name + ".pem"), "-pubout", "-out", dir.resolve(name + ".pub.pem"));
        }
    }

    @ParameterizedTest
    @CsvSource({ "ed25519, EdDSA, OKP", "rsa, RS256, RSA", "ec, ES256, EC" })
    void eachKeyTypeSignsItsAlgorithmAndVerifies(String file, String algorithm, String keyType) throws Exception {
        Path key = dir.resolve(file + ".pem");
        SigningKeys keys = new SigningKeys(config(key, null));
        assertEquals(algorithm, keys.algorithm().getAlgorithm());
        String token = issue(keys);
        Map<String, Object> header = JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
        assertEquals(algorithm, header.get("alg"));
        assertEquals(keys.keyId(), header.get("kid"));

        List<Map<String, Object>> published = jwks(keys);
        assertEquals(1, published.size());
        assertEquals(keyType, published.get(0).get("kty"));
        assertEquals(algorithm, published.get(0).get("alg"));
        assertEquals(keys.keyId(), published.get(0).get("kid"));
        assertFalse(published.get(0).containsKey("d"), "no private part");
        if (keyType.equals("OKP")) {
            assertEquals("Ed25519", published.get(0).get("crv"));
            // The public key computed from the private seed is OpenSSL's: its SPKI ends with the 32 bytes of x.
            assertEquals(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(lastBytes(dir.resolve(file + ".pub.pem"), 32)), published.get(0).get("x"));
        }

        JWTCallerPrincipal principal = new TokenVerifier(keys, config(key, null), Clock.systemUTC()).parse(token,
                null);
        assertEquals("alice", principal.getName());
        assertEquals("access", principal.getClaim("token_use"));
    }

    @Test
    void afterARotationTokensOfTheOlderKeysStillVerify() throws Exception {
        Path older = dir.resolve("older.pub.pem");
        Files.writeString(older, Files.readString(dir.resolve("rsa.pub.pem")) + Files.readString(dir.resolve("ec.pub.pem")));
        String rsaToken = issue(new SigningKeys(config(dir.resolve("rsa.pem"), null)));
        String ecToken = issue(new SigningKeys(config(dir.resolve("ec.pem"), null)));

        Path current = dir.resolve("ed25519.pem");
        SigningKeys keys = new SigningKeys(config(current, older));
        TokenVerifier verifier = new TokenVerifier(keys, config(current, older), Clock.systemUTC());
        assertEquals(List.of("EdDSA", "RS256", "ES256"), jwks(keys).stream().map(k -> k.get("alg")).toList());
        for (String token : List.of(rsaToken, ecToken, issue(keys))) {
            assertEquals("alice", verifier.parse(token, null).getName());
        }
        // Without the older keys listed, their tokens are refused.
        TokenVerifier withoutRotation = new TokenVerifier(new SigningKeys(config(current, null)), config(current, null),
                Clock.systemUTC());
        assertThrows(ParseException.class, () -> withoutRotation.parse(rsaToken, null));
        assertThrows(ParseException.class, () -> withoutRotation.parse(ecToken, null));
    }

    @Test
    void ed25519TokensAreSignedByBouncyCastleAndTheJcaIsLeftAsItIs() throws Exception {
        SigningKeys keys = new SigningKeys(config(dir.resolve("ed25519.pem"), null));
        // No provider is installed: the JDK's EdDSA stays the JCA's, and jose4j's EdDSA is Bouncy Castle's.
        assertNull(java.security.Security.getProvider("BC"));
        java.security.Signature byDefault = java.security.Signature.getInstance("EdDSA");
        byDefault.initSign(keys.signingKey());
        assertEquals("SunEC", byDefault.getProvider().getName());
        assertInstanceOf(BouncyCastleEdDsa.class, org.jose4j.jwa.AlgorithmFactoryFactory.getInstance()
                .getJwsAlgorithmFactory().getAlgorithm("EdDSA"));
        // A token signed through Bouncy Castle verifies with the JDK's own Ed25519: the signature is standard.
        String token = issue(keys);
        String[] parts = token.split("\\.");
        assertTrue(jdkVerifies(der(dir.resolve("ed25519.pub.pem")), (parts[0] + "." + parts[1]).getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), Base64.getUrlDecoder().decode(parts[2])));
    }

    /** RFC 8032, section 7.1, tests 1 and 2: the secret keys, messages and signatures of the RFC. */
    @ParameterizedTest
    @CsvSource({
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60, "
                    + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '', "
                    + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                    + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb, "
                    + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72, "
                    + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                    + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" })
    void rfc8032VectorsPassThroughTheLibraryInUse(String secret, String publicKey, String message, String signature)
            throws Exception {
        java.util.HexFormat hex = java.util.HexFormat.of();
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("Ed25519").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(hex.parseHex("302e020100300506032b657004220420" + secret)));
        java.security.PublicKey verificationKey = java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(hex.parseHex("302a300506032b6570032100" + publicKey)));
        BouncyCastleEdDsa eddsa = new BouncyCastleEdDsa();
        byte[] data = hex.parseHex(message);

        byte[] signed = eddsa.sign(eddsa.prepareForSign(key, null), data);
        assertEquals(signature, hex.formatHex(signed));
        assertTrue(eddsa.verifySignature(signed, verificationKey, data, null));
        byte[] tampered = signed.clone();
        tampered[10] ^= 1;
        assertFalse(eddsa.verifySignature(tampered, verificationKey, data, null));
        assertFalse(eddsa.verifySignature(signed, verificationKey, hex.parseHex(message + "00"), null));
        assertFalse(eddsa.verifySignature(java.util.Arrays.copyOf(signed, 63), verificationKey, data, null));
    }

    @Test
    void weakOrUnsupportedKeysStopTheStartWithAMessage() {
        IllegalStateException rsa = assertThrows(IllegalStateException.class,
                () -> new SigningKeys(config(dir.resolve("rsa1024.pem"), null)));
        assertTrue(rsa.getMessage().contains("2048"), rsa.getMessage());
        assertThrows(IllegalStateException.class, () -> new SigningKeys(config(dir.resolve("ed448.pem"), null)));
    }

    @ParameterizedTest
    @CsvSource({ "secp256k1", "brainpoolP256r1", "P-384" })
    void ecKeysOfAnotherCurveThanP256StopTheStartWithAMessage(String curve) {
        IllegalStateException signing = assertThrows(IllegalStateException.class,
                () -> new SigningKeys(config(dir.resolve(curve + ".pem"), null)));
        assertTrue(signing.getMessage().contains("P-256"), signing.getMessage());
    }

    @Test
    void anOlderPublicKeyOfAnotherCurveStopsTheStartToo() {
        IllegalStateException older = assertThrows(IllegalStateException.class,
                () -> new SigningKeys(config(dir.resolve("ec.pem"), dir.resolve("secp256k1.pub.pem"))));
        assertTrue(older.getMessage().contains("P-256"), older.getMessage());
    }

    private static String issue(SigningKeys keys) {
        TokenIssuer issuer = new TokenIssuer(keys, config(null, null), Clock.systemUTC());
        return issuer.access(new TokenIssuer.Subject(UUID.randomUUID(), "alice", false, 0), List.of("pwd"),
                UUID.randomUUID(), java.time.Instant.now()).token();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jwks(SigningKeys keys) throws Exception {
        return (List<Map<String, Object>>) JsonUtil.parseJson(keys.jwksJson()).get("keys");
    }

    private static byte[] lastBytes(Path pem, int n) throws Exception {
        byte[] der = der(pem);
        return java.util.Arrays.copyOfRange(der, der.length - n, der.length);
    }

    private static boolean jdkVerifies(byte[] spki, byte[] data, byte[] signature) throws Exception {
        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519", "SunEC");
        jdk.initVerify(java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(spki)));
        jdk.update(data);
        return jdk.verify(signature);
    }

    private static byte[] der(Path pem) throws Exception {
        return Base64.getDecoder().decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    private static JwtConfig config(Path signingKey, Path verificationKeys) {
        return JwtSettings.of(signingKey, verificationKeys);
    }

}
