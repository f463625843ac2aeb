package io.accountsecurity.token;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

import org.bouncycastle.jcajce.provider.asymmetric.edec.SignatureSpi;

/**
 * Makes the JCA algorithms {@code Ed25519} and {@code EdDSA} (which jose4j, under smallrye-jwt, asks for) use Bouncy
 * Castle's Ed25519, ahead of the JDK's. On this Java 17 the JDK signs and verifies in about 0.45 ms each; Bouncy
 * Castle signs in 0.03-0.05 ms and verifies in 0.06 ms, which turns EdDSA from the slowest of the three token
 * algorithms into the cheapest to sign. Only these two Signature services are registered, at the head of the
 * provider list; everything else (random numbers, TLS, RSA, EC) stays with the JDK's providers. Keys made by the JDK
 * are accepted.
 */
final class Ed25519Signatures extends Provider {

    private static final String NAME = "AccountSecurityEd25519";

    private Ed25519Signatures() {
        super(NAME, "1", "Ed25519 signatures by Bouncy Castle");
        for (String algorithm : List.of("Ed25519", "EdDSA")) {
            putService(new Service(this, "Signature", algorithm, SignatureSpi.Ed25519.class.getName(), List.of(),
                    Map.of()) {
                @Override
                public Object newInstance(Object parameter) {
                    return new SignatureSpi.Ed25519();
                }
            });
        }
    }

    /** Registers the provider once; idempotent. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new Ed25519Signatures(), 1);
        }
    }
}
