package io.accountsecurity.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Secrets at rest, password hashing, TOTP and throttling settings. */
@ConfigMapping(prefix = "account-security")
public interface SecurityConfig {

    /** Base64 of 32 random bytes (env {@code SECRETS_ENCRYPTION_KEY}); encrypts TOTP secrets, keys backup-code hashes. */
    @io.smallrye.config.WithName("secrets-encryption-key")
    Optional<String> secretsEncryptionKey();

    /**
     * Earlier encryption keys (env {@code SECRETS_ENCRYPTION_KEYS_PREVIOUS}, comma-separated), still read during a
     * rotation: secrets sealed with one are re-encrypted with the current key at their next use.
     */
    @io.smallrye.config.WithName("secrets-encryption-keys-previous")
    Optional<List<String>> secretsEncryptionKeysPrevious();

    PasswordHash passwordHash();

    Totp totp();

    Throttle throttle();

    /** Argon2id cost; hashes carry their parameters and are upgraded at the next successful login. */
    interface PasswordHash {
        /**
         * Memory in KiB. The default, 7 MiB with 5 iterations, is one of OWASP's equivalent Argon2id minimums (as is
         * 19 MiB with 2): it costs the same time, and each hashing thread keeps 7 MiB in the heap instead of 19.
         */
        @WithDefault("7168")
        int memoryKib();

        @WithDefault("5")
        int iterations();

        @WithDefault("1")
        int parallelism();

        /** Concurrent hashes at most; each holds its memory cost, so this bounds memory. 0 means one per core. */
        @WithDefault("0")
        int maxConcurrent();

        /**
         * Hashes that may wait per hashing thread; beyond them a login is refused at once (503, Retry-After) rather
         * than queued, so the wait stays short and the memory flat whatever the load. Each lane holds this many per
         * thread: 16 lets 32 clients of one kind wait at once, about 16 hashes' time at most.
         */
        @WithDefault("16")
        int queuePerThread();

        /**
         * The largest memory cost of a stored hash that a login verifies; a hash above it is refused without being
         * computed, so a tampered or foreign row cannot make a login allocate its memory. Covers the costs that earlier
         * versions stored (19 MiB).
         */
        @WithDefault("19456")
        int acceptedMaxMemoryKib();

        /** The largest number of iterations of a stored hash that a login verifies. */
        @WithDefault("10")
        int acceptedMaxIterations();
    }

    interface Totp {
        /** The issuer label that authenticator apps show (env {@code TOTP_ISSUER}). */
        @WithDefault("SEKOIA.IO")
        String issuer();

        /** How long a started enrollment waits for its confirmation. */
        @WithDefault("PT10M")
        Duration enrollmentLifetime();
    }

    interface Throttle {
        /** Consecutive wrong second-factor codes before the account is locked. */
        @WithDefault("5")
        int codeFailures();

        /** Consecutive wrong passwords, per account and client address, before that pair is locked. */
        @WithDefault("10")
        int passwordFailures();

        /**
         * Consecutive wrong passwords for one account from all addresses before the account's password step pauses:
         * NIST SP 800-63B's ceiling of 100, so that one attacker can lock a user out of no more than that.
         */
        @WithDefault("100")
        int accountPasswordFailures();

        /** Consecutive wrong passwords from one client address (IPv6: its /64), whatever the accounts. */
        @WithDefault("30")
        int addressPasswordFailures();

        /** The first lockout's length; each further lockout doubles it, up to {@link #maxLockout()}. */
        @WithDefault("PT1M")
        Duration baseLockout();

        /**
         * The longest lockout. With 5 codes per lockout and doubling lockouts, a day of guessing yields about 55
         * guesses, and 100 consecutive failures (NIST SP 800-63B's cap) take more than a week.
         */
        @WithDefault("PT24H")
        Duration maxLockout();

        /**
         * How long a password attempt's in-flight slot counts; longer than any attempt takes, so that only the slots
         * of a replica that died mid-attempt expire.
         */
        @WithDefault("PT30S")
        Duration inFlightWindow();

        /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
        Optional<List<String>> trustedProxies();
    }
}
