package io.accountsecurity.token;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.AlgorithmParameters;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.accountsecurity.config.JwtConfig;
import io.quarkus.logging.Log;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The key that signs tokens and the keys that verify them. The signing key comes from
 * {@code JWT_SIGNING_KEY_LOCATION} (PKCS#8 PEM): Ed25519 signs EdDSA (recommended), RSA of 2048 bits or more signs
 * RS256, EC P-256 signs ES256; in dev and test an Ed25519 key is generated when none is set. Older public keys from
 * {@code JWT_VERIFICATION_KEYS_LOCATION} stay valid and published, for rotation.
 */
// Created at start-up, so that a missing or bad key stops the start with a message that names it.
@Startup
@Singleton
public class SigningKeys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** The key types a PEM file may hold, by their JCA KeyFactory name. */
    private static final List<String> KEY_TYPES = List.of("Ed25519", "RSA", "EC");
    private static final ECParameterSpec P256 = p256();

    static {
        // jose4j signs and verifies EdDSA with Bouncy Castle; RS256 and ES256 stay the JDK's.
        BouncyCastleEdDsa.register();
    }

    private final PrivateKey signingKey;
    private final SignatureAlgorithm algorithm;
    private final String keyId;
    private final String jwksJson;

    public SigningKeys(JwtConfig config) {
        try {
            PrivateKey key;
            PublicKey publicKey;
            if (config.signingKeyLocation().isPresent()) {
                var pair = readKeyPair(Path.of(config.signingKeyLocation().get()));
                key = pair.getPrivate();
                publicKey = pair.getPublic();
            } else if (config.generateKeyIfMissing()) {
                var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                key = pair.getPrivate();
                publicKey = pair.getPublic();
                Log.info("No JWT_SIGNING_KEY_LOCATION: signing with an Ed25519 key generated at start-up (dev/test only)");
            } else {
                throw new IllegalStateException("JWT_SIGNING_KEY_LOCATION is not set: the service needs a PEM (PKCS#8) "
                        + "private key to sign tokens (Ed25519 for EdDSA, RSA of 2048 bits or more for RS256, or EC "
                        + "P-256 for ES256)");
            }
            this.signingKey = key;
            this.algorithm = algorithmOf(key);
            List<JsonWebKey> published = new ArrayList<>();
            PublicJsonWebKey current = jwk(publicKey, algorithm);
            this.keyId = current.getKeyId();
            published.add(current);
            if (config.verificationKeysLocation().isPresent()) {
                for (PublicKey older : readPublicKeys(Path.of(config.verificationKeysLocation().get()))) {
                    PublicJsonWebKey jwk = jwk(older, algorithmOf(older));
                    if (!jwk.getKeyId().equals(keyId)) {
                        published.add(jwk);
                    }
                }
            }
            this.jwksJson = new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (IOException | GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("The JWT keys cannot be read: " + e.getMessage(), e);
        }
    }

    public PrivateKey signingKey() {
        return signingKey;
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** The {@code kid} of the signing key: its RFC 7638 thumbprint. */
    public String keyId() {
        return keyId;
    }

    /** The RFC 7517 JWK Set of every key a token may be verified with. */
    public String jwksJson() {
        return jwksJson;
    }

    private static PublicJsonWebKey jwk(PublicKey key, SignatureAlgorithm algorithm) throws JoseException {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key);
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setAlgorithm(algorithm.getAlgorithm());
        jwk.setUse("sig");
        return jwk;
    }

    /** The algorithm a key signs or verifies with; refuses the keys and sizes that we do not sign with. */
    static SignatureAlgorithm algorithmOf(java.security.Key key) {
        if (key instanceof EdECKey ed) {
            if (!"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
                throw new IllegalStateException("The JWT keys must be Ed25519 among the Edwards curves (EdDSA)");
            }
            return SignatureAlgorithm.EDDSA;
        }
        if (key instanceof ECKey ec) {
            // The whole curve, not its size: secp256k1 and brainpoolP256r1 are 256-bit curves that ES256 is not.
            if (!isP256(ec.getParams())) {
                throw new IllegalStateException("The JWT keys must be EC P-256 (secp256r1) among the EC keys (ES256); "
                        + "this key's curve is " + ec.getParams());
            }
            return SignatureAlgorithm.ES256;
        }
        if (key instanceof RSAKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new IllegalStateException("The JWT keys must be RSA keys of at least 2048 bits (RS256)");
            }
            return SignatureAlgorithm.RS256;
        }
        throw new IllegalStateException("The JWT keys must be Ed25519, RSA or EC P-256 keys");
    }

    private static boolean isP256(ECParameterSpec params) {
        return params.getCurve().equals(P256.getCurve()) && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder()) && params.getCofactor() == P256.getCofactor();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK has no EC P-256", e);
        }
    }

    static KeyPair readKeyPair(Path path) throws IOException, GeneralSecurityException {
        for (Block block : pemBlocks(Files.readString(path, StandardCharsets.US_ASCII))) {
            if (block.label().equals("PRIVATE KEY")) {
                PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(block.der());
                PrivateKey key = decode(factory -> factory.generatePrivate(spec), path + " holds a private key");
                return new KeyPair(publicKeyOf(key, block.der()), key);
            }
        }
        throw new GeneralSecurityException(path + " holds no 'PRIVATE KEY' (PKCS#8) PEM block");
    }

    static List<PublicKey> readPublicKeys(Path path) throws IOException, GeneralSecurityException {
        List<PublicKey> keys = new ArrayList<>();
        for (Block block : pemBlocks(Files.readString(path, StandardCharsets.US_ASCII))) {
            if (block.label().equals("PUBLIC KEY")) {
                X509EncodedKeySpec spec = new X509EncodedKeySpec(block.der());
                keys.add(decode(factory -> factory.generatePublic(spec), path + " holds a public key"));
            }
        }
        return keys;
    }

    /** One key decoding of a KeyFactory. */
    private interface Decoding<K> {
        K with(KeyFactory factory) throws GeneralSecurityException;
    }

    /** The key decoded by the first of {@link #KEY_TYPES} whose KeyFactory accepts it. */
    private static <K> K decode(Decoding<K> decoding, String what) throws GeneralSecurityException {
        for (String type : KEY_TYPES) {
            try {
                return decoding.with(KeyFactory.getInstance(type));
            } catch (java.security.spec.InvalidKeySpecException otherType) {
                // try the next type
            }
        }
        throw new GeneralSecurityException(what + " that is not Ed25519, RSA or EC");
    }

    /**
     * The public half of a private key. RSA keys carry it; an Ed25519 public key is computed from the private seed;
     * for EC, PKCS#8 files from OpenSSL carry the public point
     * in the optional field of their ECPrivateKey structure (RFC 5915), which is read here.
     */
    static PublicKey publicKeyOf(PrivateKey key, byte[] pkcs8) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (key instanceof EdECPrivateKey ed) {
            byte[] seed = ed.getBytes().orElseThrow(() -> new GeneralSecurityException("the Ed25519 key has no bytes"));
            byte[] point = new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki("MCowBQYDK2VwAyEA", point)));
        }
        if (key instanceof ECPrivateKey) {
            byte[] point = Der.ecPublicPoint(pkcs8);
            if (point == null) {
                throw new GeneralSecurityException("the EC private key does not include its public key; "
                        + "create it with 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256'");
            }
            return KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(spki("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgA=", point)));
        }
        throw new GeneralSecurityException("unsupported key type " + key.getAlgorithm());
    }

    /** A SubjectPublicKeyInfo: the fixed DER prefix of the key type (Base64) followed by the public key's bytes. */
    private static byte[] spki(String prefixBase64, byte[] publicKey) {
        byte[] prefix = Base64.getDecoder().decode(prefixBase64);
        byte[] spki = new byte[prefix.length + publicKey.length];
        System.arraycopy(prefix, 0, spki, 0, prefix.length);
        System.arraycopy(publicKey, 0, spki, prefix.length, publicKey.length);
        return spki;
    }

    private record Block(String label, byte[] der) {
    }

    private static List<Block> pemBlocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return blocks;
    }

    /** Just enough DER to find the public point inside a PKCS#8 EC private key. */
    static final class Der {
        private final byte[] data;
        private int pos;

        private Der(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        static byte[] ecPublicPoint(byte[] pkcs8) {
            try {
                Der outer = new Der(pkcs8, 0);
                Der privateKeyInfo = outer.enter(0x30);
                privateKeyInfo.skip(); // version
                privateKeyInfo.skip(); // algorithm
                byte[] ecPrivateKey = privateKeyInfo.read(0x04);
                Der ec = new Der(ecPrivateKey, 0).enter(0x30);
                ec.skip(); // version
                ec.skip(); // private key octets
                while (ec.pos < ec.data.length) {
                    int tag = ec.data[ec.pos] & 0xff;
                    if (tag == 0xa1) {
                        byte[] bitString = ec.enter(0xa1).read(0x03);
                        // First byte of a BIT STRING is the count of unused bits (0 here).
                        byte[] point = new byte[bitString.length - 1];
                        System.arraycopy(bitString, 1, point, 0, point.length);
                        return point;
                    }
                    ec.skip();
                }
                return null;
            } catch (RuntimeException malformed) {
                return null;
            }
        }

        private int length() {
            int first = data[pos++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int n = first & 0x7f;
            return new BigInteger(1, java.util.Arrays.copyOfRange(data, pos, pos += n)).intValueExact();
        }

        private byte[] read(int tag) {
            if ((data[pos++] & 0xff) != tag) {
                throw new IllegalArgumentException("unexpected DER tag");
            }
            int len = length();
            byte[] value = java.util.Arrays.copyOfRange(data, pos, pos + len);
            pos += len;
            return value;
        }

        private Der enter(int tag) {
            return new Der(read(tag), 0);
        }

        private void skip() {
            pos++;
            int len = length();
            pos += len;
        }
    }
}
