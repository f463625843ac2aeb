package io.accountsecurity.twofactor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The keys derived from {@code SECRETS_ENCRYPTION_KEY}: AES-256-GCM for TOTP secrets at rest (bound to their account
 * as associated data) and HMAC-SHA256 for backup-code hashes. During a rotation the earlier keys of
 * {@code SECRETS_ENCRYPTION_KEYS_PREVIOUS} are still read; every stored value records the id of its key (a fingerprint
 * derived from the key, never the key), so that operators can tell when an earlier key is no longer needed.
 */
// Created at start-up, so that a missing or bad key stops the start with a message that names it.
@Startup
@Singleton
public class ServerSecrets {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** One master key's derived keys and its id. */
    private record Key(String id, SecretKeySpec encryption, SecretKeySpec backupCodes) {
    }

    /** A decrypted secret, and whether it should be sealed again with the current key. */
    public record Opened(byte[] secret, boolean stale) {
    }

    /** The current key first, then the earlier ones in the order configured. */
    private final List<Key> keys;
    private final Map<String, Key> byId = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public ServerSecrets(SecurityConfig config) {
        List<Key> all = new ArrayList<>();
        all.add(key("SECRETS_ENCRYPTION_KEY", config.secretsEncryptionKey().orElseThrow(() -> new IllegalStateException(
                "SECRETS_ENCRYPTION_KEY is not set: it must be the base64 of 32 random bytes "
                        + "(for example: head -c 32 /dev/urandom | base64); it encrypts TOTP secrets at rest"))));
        for (String previous : config.secretsEncryptionKeysPrevious().orElse(List.of())) {
            if (!previous.isBlank()) {
                all.add(key("SECRETS_ENCRYPTION_KEYS_PREVIOUS", previous));
            }
        }
        for (Key key : all) {
            byId.putIfAbsent(key.id(), key);
        }
        this.keys = List.copyOf(byId.values());
        Log.infof("Secrets at rest: sealing with key %s%s", currentKeyId(), keys.size() == 1 ? ""
                : ", still reading " + keys.subList(1, keys.size()).stream().map(Key::id).toList());
    }

    /** The id that values sealed or hashed now record. */
    public String currentKeyId() {
        return keys.get(0).id();
    }

    /** Seals a secret with the current key; store {@link #currentKeyId()} beside it. */
    public byte[] encrypt(UUID owner, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(0).encryption(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(bytes(owner));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a stored secret with the key that {@code keyId} names, or, for a value stored before key ids (null), with
     * each configured key in turn. A secret whose key is no longer configured answers 503: an operator dropped a key
     * too early; the log says which.
     */
    public Opened decrypt(UUID owner, byte[] stored, String keyId) {
        List<Key> candidates = keyId == null ? keys : byId.containsKey(keyId) ? List.of(byId.get(keyId)) : List.of();
        for (Key key : candidates) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key.encryption(),
                        new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
                cipher.updateAAD(bytes(owner));
                byte[] secret = cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
                return new Opened(secret, keyId == null || !key.id().equals(currentKeyId()));
            } catch (AEADBadTagException wrongKey) {
                // Another key sealed it: try the next one.
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM is not available", e);
            }
        }
        Log.errorf("The TOTP secret of user %s was sealed with %s, which is not among the configured keys %s: "
                + "add that key to SECRETS_ENCRYPTION_KEYS_PREVIOUS", owner,
                keyId == null ? "an unrecorded key" : "key " + keyId, byId.keySet());
        throw new ProblemException(Problem.of(ProblemType.SERVICE_UNAVAILABLE,
                "The second factor cannot be checked at the moment; a backup code still works."), Duration.ofMinutes(1));
    }

    /** The keyed hash under which a new backup code is stored (with {@link #currentKeyId()}). */
    public byte[] backupCodeHash(UUID owner, String normalizedCode) {
        return hash(keys.get(0), owner, normalizedCode);
    }

    /** The code's hash under every configured key, current first: a stored hash matches one of them. */
    public List<byte[]> backupCodeHashes(UUID owner, String normalizedCode) {
        return keys.stream().map(key -> hash(key, owner, normalizedCode)).toList();
    }

    private static byte[] hash(Key key, UUID owner, String normalizedCode) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.backupCodes());
            mac.update(bytes(owner));
            return mac.doFinal(normalizedCode.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static Key key(String variable, String encoded) {
        byte[] master;
        try {
            master = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(variable + " is not valid base64");
        }
        if (master.length != 32) {
            throw new IllegalStateException(variable + " must decode each key to 32 bytes, not " + master.length);
        }
        String id = HexFormat.of().formatHex(derive(master, "key-id"), 0, 8);
        return new Key(id, new SecretKeySpec(derive(master, "totp-secret-encryption"), "AES"),
                new SecretKeySpec(derive(master, "backup-code-hash"), "HmacSHA256"));
    }

    private static byte[] derive(byte[] master, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }
}
