package io.accountsecurity.twofactor;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.Database;
import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.Parallel;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class ConcurrencyAndStorageTest {

    @Inject
    MutableClock clock;
    @Inject
    AgroalDataSource database;

    @Test
    void twentyConcurrentVerificationsOfOneCodeGiveExactlyOneSuccess() throws Exception {
        Enrolled user = enrolledUser(clock, unique("yuri"), Map.of());
        String mfa = mfaToken(user.username());
        // The step after the enrollment's, not "now + 1": a step boundary may have passed since the enrollment.
        String code = Totp.codeAt(user.secret(), user.enrolledStep() + 1);
        List<Integer> statuses = Parallel.run(20, () -> verify(mfa, "code", code).statusCode());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 401 || s == 429), statuses.toString());
        assertEquals(user.enrolledStep() + 1, lastUsedStep(user.userId()));
    }

    @Test
    void twentyConcurrentUsesOfOneBackupCodeGiveExactlyOneSuccess() throws Exception {
        Enrolled user = enrolledUser(clock, unique("zoe"), Map.of());
        String mfa = mfaToken(user.username());
        String backupCode = user.backupCodes().get(4);
        List<Integer> statuses = Parallel.run(20, () -> verify(mfa, "backup_code", backupCode).statusCode());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(1, count("select count(*) from backup_codes where user_id = ? and used_at is not null",
                UUID.fromString(user.userId())));
    }

    @Test
    void thirtyConcurrentWrongCodesAreTakenOneAtATimeSoOnlyFiveAreTried() throws Exception {
        Enrolled user = enrolledUser(clock, unique("ida"), Map.of());
        String mfa = mfaToken(user.username());
        String wrong = code(clock, user.secret(), 7);
        List<Integer> statuses = Parallel.run(30, () -> verify(mfa, "code", wrong).statusCode());
        // Each attempt reads the lockout with the account's row locked: the sixth sees the first five counted.
        assertEquals(5, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
        assertEquals(25, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        UUID id = UUID.fromString(user.userId());
        assertEquals(1, count("select lockouts from attempt_counters where counter_key = 'otp:' || ?::text", id));
        assertEquals(1, count("select count(*) from security_events where user_id = ? and type = 'LOCKED_OUT'", id));
        verify(mfa, "code", code(clock, user.secret(), 1)).then().statusCode(429);
        assertEquals(user.enrolledStep(), lastUsedStep(user.userId()));
    }

    @Test
    void noSecretAndNoBackupCodeIsStoredInPlainText() throws Exception {
        Enrolled user = enrolledUser(clock, unique("abe"), Map.of());
        String base32 = org.jboss.aerogear.security.otp.api.Base32.encode(user.secret());
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select t.secret_ciphertext, b.code_hash from totp_credentials t "
                                + "join backup_codes b on b.user_id = t.user_id where t.user_id = ?")) {
            s.setObject(1, UUID.fromString(user.userId()));
            int rows = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows++;
                    String secretHex = HexFormat.of().formatHex(r.getBytes(1));
                    assertFalse(secretHex.contains(HexFormat.of().formatHex(user.secret())), "raw secret stored");
                    assertFalse(new String(r.getBytes(1), StandardCharsets.ISO_8859_1).contains(base32));
                    String hash = new String(r.getBytes(2), StandardCharsets.ISO_8859_1);
                    for (String code : user.backupCodes()) {
                        assertFalse(hash.contains(code) || hash.contains(code.replace("-", "")), "code stored");
                    }
                    assertEquals(32, r.getBytes(2).length, "HMAC-SHA256");
                    assertEquals(12 + 20 + 16, r.getBytes(1).length, "nonce, 160-bit secret, GCM tag");
                }
            }
            assertEquals(10, rows);
        }
        // Nothing else in the database holds the secret either.
        assertEquals(0, count("select count(*) from security_events where detail like ?", "%" + base32 + "%"));
    }

    private long lastUsedStep(String userId) throws Exception {
        return Database.number(database, "select last_used_step from totp_credentials where user_id = ?",
                UUID.fromString(userId));
    }

    private long count(String sql, Object parameter) throws Exception {
        return Database.number(database, sql, parameter);
    }
}
