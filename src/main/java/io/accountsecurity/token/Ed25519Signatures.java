package io.accountsecurity.token;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Makes the JCA algorithms {@code Ed25519} and {@code EdDSA} (which jose4j, under smallrye-jwt, asks for) use Bouncy
 * Castle's Ed25519, ahead of the JDK's. On this Java 17 the JDK signs and verifies in about 0.45 ms each; Bouncy
 * Castle signs in 0.03-0.05 ms and verifies in 0.06 ms, which turns EdDSA from the slowest of the three token
 * algorithms into the cheapest to sign. Only these two Signature services are registered, at the head of the
 * provider list; everything else (random numbers, TLS, RSA, EC) stays with the JDK's providers. Keys made by the JDK
 * are accepted.
 *
 * <p>The service works on Bouncy Castle's own key objects, made once per key: Bouncy Castle's JCA class made them
 * anew at every initialisation, so each signature computed the public key from the private one again (45 % of a
 * signature in the profile) and each verification decoded the public key's point again (30 % of it). A key that is
 * not an Ed25519 key is refused with {@link InvalidKeyException}, which lets the JCA hand it to the next provider
 * (the JDK's, for Ed448).
 *
 * <p>A signature made with a key the service itself signs with ({@link #signsWith}) is verified by signing the same
 * message again and comparing the two signatures in constant time. Ed25519 is deterministic (RFC 8032, section
 * 5.1.6: the nonce is a hash of the key and the message), so every signature this service or another replica made
 * with that key is exactly the one computed again, and whoever does not hold the key cannot make it: the comparison
 * accepts no signature that the verification equation would refuse, and only refuses signatures of that key that
 * someone else made with another nonce, which needs the private key. Signing again costs about half of a
 * verification with Bouncy Castle (one fixed-base multiplication against a double-scalar one: 45-62 µs against
 * 106-134 µs measured here), and most tokens the service checks are its own. Keys it only verifies with (older keys
 * of a rotation) go through the verification equation.
 */
final class Ed25519Signatures extends Provider {

    private static final String NAME = "AccountSecurityEd25519";

    /** The key objects made so far, by the JCA key they came from; the service meets a handful of keys. */
    private static final Map<Key, AsymmetricKeyParameter> PARAMETERS = new ConcurrentHashMap<>();
    private static final int KEPT_KEYS = 64;
    /** The private key of each public key the service signs with, by the public key's 32 bytes. */
    private static final Map<ByteBuffer, Ed25519PrivateKeyParameters> OWN_KEYS = new ConcurrentHashMap<>();

    private Ed25519Signatures() {
        super(NAME, "2", "Ed25519 signatures by Bouncy Castle");
        for (String algorithm : List.of("Ed25519", "EdDSA")) {
            putService(new Service(this, "Signature", algorithm, Ed25519Spi.class.getName(), List.of(), Map.of()) {
                @Override
                public Object newInstance(Object parameter) {
                    return new Ed25519Spi();
                }
            });
        }
    }

    /**
     * Registers the provider once; idempotent. A provider of the same name from another class loader (an application
     * that tests started again in the same JVM) is replaced: the keys {@link #signsWith} declares are this class's.
     */
    static synchronized void install() {
        Provider installed = Security.getProvider(NAME);
        if (installed instanceof Ed25519Signatures) {
            return;
        }
        if (installed != null) {
            Security.removeProvider(NAME);
        }
        Security.insertProviderAt(new Ed25519Signatures(), 1);
    }

    /**
     * Declares {@code key} as a key this service signs with: signatures to verify with its public key are then
     * checked by signing again (see the class comment).
     */
    static void signsWith(PrivateKey key) throws InvalidKeyException {
        Ed25519PrivateKeyParameters own = parameters(key, Ed25519PrivateKeyParameters.class);
        OWN_KEYS.put(ByteBuffer.wrap(own.generatePublicKey().getEncoded()), own);
    }

    /** Bouncy Castle's Ed25519 key object for {@code key}, made once; refuses keys of other curves and kinds. */
    static <P extends AsymmetricKeyParameter> P parameters(Key key, Class<P> kind) throws InvalidKeyException {
        AsymmetricKeyParameter known = PARAMETERS.get(key);
        if (known == null) {
            known = decode(key);
            if (PARAMETERS.size() < KEPT_KEYS) {
                PARAMETERS.putIfAbsent(key, known);
            }
        }
        if (!kind.isInstance(known)) {
            throw new InvalidKeyException("Not an Ed25519 key of the kind needed: " + key.getAlgorithm());
        }
        return kind.cast(known);
    }

    private static AsymmetricKeyParameter decode(Key key) throws InvalidKeyException {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !(key instanceof PublicKey || key instanceof PrivateKey)) {
            throw new InvalidKeyException("Not an encodable public or private key: " + key.getAlgorithm());
        }
        try {
            return key instanceof PublicKey ? PublicKeyFactory.createKey(encoded) : PrivateKeyFactory.createKey(encoded);
        } catch (IOException | RuntimeException e) {
            throw new InvalidKeyException("Not a key Bouncy Castle can read: " + key.getAlgorithm(), e);
        }
    }

    /** Ed25519 (RFC 8032, pure) through Bouncy Castle's lightweight signer. */
    static final class Ed25519Spi extends SignatureSpi {

        private final Ed25519Signer signer = new Ed25519Signer();
        /** Whether {@link #engineVerify} signs again: the key to verify with is one the service signs with. */
        private boolean signAgain;

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            Ed25519PublicKeyParameters key = parameters(publicKey, Ed25519PublicKeyParameters.class);
            Ed25519PrivateKeyParameters own = OWN_KEYS.isEmpty() ? null : OWN_KEYS.get(ByteBuffer.wrap(key.getEncoded()));
            signAgain = own != null;
            signer.init(signAgain, signAgain ? own : key);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            signAgain = false;
            signer.init(true, parameters(privateKey, Ed25519PrivateKeyParameters.class));
        }

        @Override
        protected void engineUpdate(byte b) {
            signer.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            signer.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            try {
                return signer.generateSignature();
            } catch (IllegalStateException e) {
                throw new SignatureException(e.getMessage(), e);
            }
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            try {
                return signAgain ? MessageDigest.isEqual(signer.generateSignature(), signature)
                        : signer.verifySignature(signature);
            } catch (IllegalStateException e) {
                throw new SignatureException(e.getMessage(), e);
            }
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("Ed25519 takes no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("Ed25519 takes no parameters");
        }
    }
}
