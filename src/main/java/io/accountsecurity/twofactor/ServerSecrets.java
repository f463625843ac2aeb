package io.accountsecurity.twofactor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.accountsecurity.config.SecurityConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * The keys derived from {@code SECRETS_ENCRYPTION_KEY}: AES-256-GCM for TOTP secrets at rest (bound to their account
 * as associated data) and HMAC-SHA256 for backup-code hashes.
 */
// Created at start-up, so that a missing or bad key stops the start with a message that names it.
@Startup
@Singleton
public class ServerSecrets {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec backupCodeKey;
    private final SecureRandom random = new SecureRandom();

    public ServerSecrets(SecurityConfig config) {
        String encoded = config.secretsEncryptionKey().orElseThrow(() -> new IllegalStateException(
                "SECRETS_ENCRYPTION_KEY is not set: it must be the base64 of 32 random bytes "
                        + "(for example: head -c 32 /dev/urandom | base64); it encrypts TOTP secrets at rest"));
        byte[] master;
        try {
            master = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("SECRETS_ENCRYPTION_KEY is not valid base64");
        }
        if (master.length != 32) {
            throw new IllegalStateException("SECRETS_ENCRYPTION_KEY must decode to 32 bytes, not " + master.length);
        }
        this.encryptionKey = new SecretKeySpec(derive(master, "totp-secret-encryption"), "AES");
        this.backupCodeKey = new SecretKeySpec(derive(master, "backup-code-hash"), "HmacSHA256");
    }

    public byte[] encrypt(UUID owner, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(bytes(owner));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public byte[] decrypt(UUID owner, byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(bytes(owner));
            return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored TOTP secret cannot be decrypted (wrong SECRETS_ENCRYPTION_KEY?)");
        }
    }

    /** The keyed hash under which a backup code is stored and looked up. */
    public byte[] backupCodeHash(UUID owner, String normalizedCode) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(backupCodeKey);
            mac.update(bytes(owner));
            return mac.doFinal(normalizedCode.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
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
