package io.accountsecurity.token;

import java.io.IOException;
import java.security.Key;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.util.Arrays;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwa.AlgorithmInfo;
import org.jose4j.jwa.CryptoPrimitive;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.keys.KeyPersuasion;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;

/**
 * jose4j's {@code EdDSA} (RFC 8037) for Ed25519 keys, computed by Bouncy Castle's lightweight {@link Ed25519Signer}:
 * RFC 8032 signing, and verification with the verification equation. jose4j's own EdDSA goes through the JCA, where
 * the JDK's Ed25519 is about ten times slower and Bouncy Castle's would need its JCA provider registered (hundreds of
 * classes read from its signed jar at each start). Keys stay the JDK's {@code EdECPrivateKey}/{@code EdECPublicKey};
 * nothing is installed in the JCA. Ed448 keys are refused, as {@link SigningKeys} refuses them.
 */
final class BouncyCastleEdDsa extends AlgorithmInfo implements JsonWebSignatureAlgorithm {

    private static final String ED25519 = "Ed25519";

    BouncyCastleEdDsa() {
        setAlgorithmIdentifier(AlgorithmIdentifiers.EDDSA);
        setJavaAlgorithm(ED25519);
        setKeyPersuasion(KeyPersuasion.ASYMMETRIC);
        setKeyType(OctetKeyPairJsonWebKey.KEY_TYPE);
    }

    /** Makes jose4j sign and verify EdDSA with this class, in this JVM (jose4j's documented extension point). */
    static void register() {
        AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().registerAlgorithm(new BouncyCastleEdDsa());
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public void validateSigningKey(Key key) throws InvalidKeyException {
        if (!(key instanceof EdECPrivateKey ed) || !ED25519.equalsIgnoreCase(ed.getParams().getName())) {
            throw new InvalidKeyException("EdDSA signs with an Ed25519 private key");
        }
    }

    @Override
    public void validateVerificationKey(Key key) throws InvalidKeyException {
        if (!(key instanceof EdECPublicKey ed) || !ED25519.equalsIgnoreCase(ed.getParams().getName())) {
            throw new InvalidKeyException("EdDSA verifies with an Ed25519 public key");
        }
    }

    @Override
    public CryptoPrimitive prepareForSign(Key key, ProviderContext ignored) throws JoseException {
        validateSigningKey(key);
        return new CryptoPrimitive(key);
    }

    @Override
    public byte[] sign(CryptoPrimitive primitive, byte[] securedInput) throws JoseException {
        byte[] seed = ((EdECPrivateKey) primitive.getKey()).getBytes()
                .orElseThrow(() -> new JoseException("the Ed25519 private key does not give its bytes"));
        try {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
            signer.update(securedInput, 0, securedInput.length);
            return signer.generateSignature();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    @Override
    public boolean verifySignature(byte[] signature, Key key, byte[] securedInput, ProviderContext ignored)
            throws JoseException {
        validateVerificationKey(key);
        AsymmetricKeyParameter publicKey;
        try {
            publicKey = PublicKeyFactory.createKey(key.getEncoded());
        } catch (IOException | RuntimeException e) {
            throw new JoseException("the Ed25519 public key cannot be read", e);
        }
        if (!(publicKey instanceof Ed25519PublicKeyParameters)) {
            throw new JoseException("not an Ed25519 public key");
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(securedInput, 0, securedInput.length);
        return verifier.verifySignature(signature);
    }
}
