package io.accountsecurity.config;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * Stops the start, naming every missing key and every unsafe setting at once, before anything would sign or encrypt
 * without a key or accept tokens without checking their expiry.
 */
@Startup(1)
@Singleton
public class RequiredSettings {

    static final int MAX_CLOCK_SKEW_SECONDS = 300;

    public RequiredSettings(JwtConfig jwt, SecurityConfig security, SessionConfig sessions) {
        List<String> missing = new ArrayList<>();
        if (jwt.signingKeyLocation().isEmpty() && !jwt.generateKeyIfMissing()) {
            missing.add("JWT_SIGNING_KEY_LOCATION (a PEM PKCS#8 private key file: Ed25519, RSA >= 2048 bits or EC P-256)");
        }
        if (security.secretsEncryptionKey().isEmpty()) {
            missing.add("SECRETS_ENCRYPTION_KEY (base64 of 32 random bytes)");
        }
        if (jwt.clockSkewSeconds() < 1 || jwt.clockSkewSeconds() > MAX_CLOCK_SKEW_SECONDS) {
            // smallrye-jwt reads a grace period of 0 as "evaluate at the epoch": no token would ever expire.
            missing.add("JWT_CLOCK_SKEW_SECONDS between 1 and " + MAX_CLOCK_SKEW_SECONDS + " (it is "
                    + jwt.clockSkewSeconds() + "; 0 would turn the expiry check of tokens off)");
        }
        if (security.passwordHash().queuePerThread() < 1) {
            missing.add("ACCOUNT_SECURITY_PASSWORD_HASH_QUEUE_PER_THREAD at least 1 (it is "
                    + security.passwordHash().queuePerThread() + ")");
        }
        if (sessions.idleTimeout().compareTo(jwt.accessTokenLifetime()) < 0
                || sessions.absoluteLifetime().compareTo(sessions.idleTimeout()) < 0) {
            // An idle timeout shorter than an access token's life would end sessions between two refreshes.
            missing.add("SESSIONS_IDLE_TIMEOUT at least the access token lifetime (" + jwt.accessTokenLifetime()
                    + ") and SESSIONS_ABSOLUTE_LIFETIME at least the idle timeout (they are " + sessions.idleTimeout()
                    + " and " + sessions.absoluteLifetime() + ")");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing or unsafe configuration: " + String.join("; ", missing));
        }
    }
}
