package io.accountsecurity.twofactor;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.support.Database;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Rotating SECRETS_ENCRYPTION_KEY: the tests run with a current key and one previous key (application.properties).
 * Secrets sealed and backup codes hashed under the previous key still work, and a secret is sealed again with the
 * current key at its next use; a secret under a key that is no longer configured is a 503, never a 500.
 */
@QuarkusTest
class KeyRotationTest {

    static final String PREVIOUS = "dGVzdC1vbmx5LXByZXZpb3VzLWtleS0zMi1ieXRlcyE=";
    static final String DROPPED = "ZHJvcHBlZC1rZXktb2YtYS1sb25nLWFnby0zMmJ5dGU=";

    @Inject
    AgroalDataSource database;
    @Inject
    ServerSecrets current;
    @Inject
    Clock clock;

    @Test
    void valuesOfThePreviousKeyWorkAndSecretsAreSealedAgainWithTheCurrentOne() throws Exception {
        Enrolled user = enrolledUser(clock, unique("rot"), Map.of());
        UUID id = UUID.fromString(user.userId());
        ServerSecrets previous = secrets(PREVIOUS);
        // As a row written before the rotation, before key ids: sealed with the previous key, no key id.
        byte[] old = previous.encrypt(id, user.secret());
        store(id, old, null);
        String backupCode = user.backupCodes().get(0);
        rehash(id, current.backupCodeHash(id, BackupCodes.normalize(backupCode)),
                previous.backupCodeHash(id, BackupCodes.normalize(backupCode)));

        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 1)).then().statusCode(200)
                .body("status", equalTo("AUTHENTICATED"));
        assertEquals(current.currentKeyId(), Database.value(database,
                "select key_id from totp_credentials where user_id = ?", id));
        byte[] resealed = (byte[]) Database.value(database,
                "select secret_ciphertext from totp_credentials where user_id = ?", id);
        assertFalse(Arrays.equals(old, resealed));
        assertArrayEquals(user.secret(), current.decrypt(id, resealed, current.currentKeyId()).secret());

        verify(mfaToken(user.username()), "backup_code", backupCode).then().statusCode(200)
                .body("backup_codes_remaining", equalTo(9));
        // New codes are keyed with the current key and say so.
        List<String> fresh = bearer(user.accessToken()).body(Map.of("password", PASSWORD))
                .post("/api/v1/me/two-factor/backup-codes").then().statusCode(201).extract().path("backup_codes");
        assertEquals(10, fresh.size());
        assertEquals(10, Database.number(database,
                "select count(*) from backup_codes where user_id = ? and key_id = ?", id, current.currentKeyId()));
    }

    @Test
    void aSecretUnderAKeyNoLongerConfiguredIsA503AndChangesNothing() throws Exception {
        Enrolled user = enrolledUser(clock, unique("lost"), Map.of());
        UUID id = UUID.fromString(user.userId());
        ServerSecrets dropped = secrets(DROPPED);
        for (String keyId : new String[] { dropped.currentKeyId(), null }) {
            store(id, dropped.encrypt(id, user.secret()), keyId);
            long step = Database.number(database, "select last_used_step from totp_credentials where user_id = ?", id);
            verify(mfaToken(user.username()), "code", code(clock, user.secret(), 1)).then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", notNullValue())
                    .body("type", equalTo("/problems/service-unavailable"));
            assertEquals(step, Database.number(database,
                    "select last_used_step from totp_credentials where user_id = ?", id));
        }
        // A backup code, keyed with the current key, still signs the user in.
        verify(mfaToken(user.username()), "backup_code", user.backupCodes().get(0)).then().statusCode(200);
    }

    @Test
    void keysAreCheckedAtStartAndKnownByTheirIdOnly() {
        ServerSecrets previous = secrets(PREVIOUS);
        assertNotEquals(previous.currentKeyId(), current.currentKeyId());
        assertEquals(16, current.currentKeyId().length());
        UUID owner = UUID.randomUUID();
        byte[] sealed = previous.encrypt(owner, new byte[] { 1, 2, 3 });
        assertTrue(current.decrypt(owner, sealed, previous.currentKeyId()).stale());
        assertFalse(previous.decrypt(owner, sealed, previous.currentKeyId()).stale());
        // Bound to its owner: another account's id does not open it.
        assertThrows(ProblemException.class, () -> current.decrypt(UUID.randomUUID(), sealed, null));
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> secrets("c2hvcnQ="));
        assertTrue(bad.getMessage().contains("32 bytes"), bad.getMessage());
    }

    private void store(UUID id, byte[] ciphertext, String keyId) throws Exception {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "update totp_credentials set secret_ciphertext = ?, key_id = ? where user_id = ?")) {
            s.setBytes(1, ciphertext);
            s.setString(2, keyId);
            s.setObject(3, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    private void rehash(UUID id, byte[] from, byte[] to) throws Exception {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "update backup_codes set code_hash = ?, key_id = null where user_id = ? and code_hash = ?")) {
            s.setBytes(1, to);
            s.setObject(2, id);
            s.setBytes(3, from);
            assertEquals(1, s.executeUpdate());
        }
    }

    /** The secrets of a service whose current key is {@code key}. */
    static ServerSecrets secrets(String key) {
        SecurityConfig config = (SecurityConfig) Proxy.newProxyInstance(SecurityConfig.class.getClassLoader(),
                new Class<?>[] { SecurityConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "secretsEncryptionKey" -> Optional.of(key);
                    case "secretsEncryptionKeysPrevious" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new ServerSecrets(config);
    }
}
