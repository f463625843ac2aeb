package io.accountsecurity.config;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/** Stops the start, naming every missing key at once, before anything would sign or encrypt without one. */
@Startup(1)
@Singleton
public class RequiredSettings {

    public RequiredSettings(JwtConfig jwt, SecurityConfig security) {
        List<String> missing = new ArrayList<>();
        if (jwt.signingKeyLocation().isEmpty() && !jwt.generateKeyIfMissing()) {
            missing.add("JWT_SIGNING_KEY_LOCATION (a PEM PKCS#8 private key file: Ed25519, RSA >= 2048 bits or EC P-256)");
        }
        if (security.secretsEncryptionKey().isEmpty()) {
            missing.add("SECRETS_ENCRYPTION_KEY (base64 of 32 random bytes)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing required configuration: " + String.join("; ", missing));
        }
    }
}
