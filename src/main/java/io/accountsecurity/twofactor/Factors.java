package io.accountsecurity.twofactor;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;

/**
 * The owner of {@code totp_credentials} and {@code backup_codes}: every statement on them, through Hibernate Reactive
 * inside the caller's session or transaction.
 */
@Singleton
public class Factors {

    /** What a second-factor check reads about the account, with its TOTP row locked. */
    public record Locked(String username, boolean platformAdmin, int tokenVersion, byte[] secretCiphertext,
            String keyId, boolean enabled, int backupCodesRemaining) {
    }

    /**
     * The account and its TOTP row (only that row), locked, in one statement. A counter of another table is read by
     * the next statement: one statement sees the rows of other tables as they were when it began, before it waited
     * for the lock, so it would miss what the attempts before it wrote. {@code :user} is bound as a one-element list,
     * which keeps the statement out of Hibernate's plan cache: Hibernate Reactive's native selects never match a
     * cached plan and would add one at each execution (HQL cannot lock the TOTP row alone: it locks the joined
     * account's row too).
     */
    private static final String LOCK_FOR_CHECK = """
            select u.username, u.platform_admin, u.token_version, t.secret_ciphertext, t.enabled_at is not null,
                   (select count(*) from backup_codes b where b.user_id = u.id and b.used_at is null), t.key_id
              from users u
              join totp_credentials t on t.user_id = u.id
             where u.id in (:user)
               for update of t""";

    /** The account's TOTP row locked until the transaction ends, with what a code check needs; null without one. */
    public Uni<Locked> lockForCheck(UUID userId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(LOCK_FOR_CHECK, Object[].class)
                .setParameter("user", List.of(userId)).getSingleResultOrNull())
                .map(row -> row == null ? null
                        : new Locked((String) row[0], (Boolean) row[1], ((Number) row[2]).intValue(), (byte[]) row[3],
                                (String) row[6], (Boolean) row[4], ((Number) row[5]).intValue()));
    }

    /** The TOTP row, locked until the transaction ends; null when there is none. */
    public Uni<TotpCredential> lock(UUID userId) {
        return TotpCredential.findById(userId, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<TotpCredential> find(UUID userId) {
        return TotpCredential.findById(userId);
    }

    public Uni<Boolean> enabled(UUID userId) {
        return TotpCredential.count("userId = ?1 and enabledAt is not null", userId).map(n -> n > 0);
    }

    public Uni<Void> add(TotpCredential credential) {
        return credential.persist().replaceWithVoid();
    }

    /** Marks {@code step} used if it is later than the last used one; answers whether it was. */
    public Uni<Boolean> useStep(UUID userId, long step) {
        return TotpCredential.update("lastUsedStep = ?1 where userId = ?2 and lastUsedStep < ?1", step, userId)
                .map(rows -> rows == 1);
    }

    /** {@link #useStep}, and stores the secret sealed again (with the current key). */
    public Uni<Boolean> useStepResealed(UUID userId, long step, byte[] secretCiphertext, String keyId) {
        return TotpCredential.update("lastUsedStep = ?1, secretCiphertext = ?3, keyId = ?4 "
                + "where userId = ?2 and lastUsedStep < ?1", step, userId, secretCiphertext, keyId)
                .map(rows -> rows == 1);
    }

    /**
     * Marks used the unused backup code whose hash is one of {@code hashes} (its hash under each configured key);
     * answers whether there was one.
     */
    public Uni<Boolean> useBackupCode(UUID userId, List<byte[]> hashes, Instant now) {
        return BackupCode.update("usedAt = ?1 where userId = ?2 and codeHash in ?3 and usedAt is null", now, userId,
                hashes).map(rows -> rows == 1);
    }

    /** Replaces every backup code of the account with {@code codes}. */
    public Uni<Void> replaceBackupCodes(UUID userId, List<BackupCode> codes) {
        return BackupCode.delete("userId", userId).flatMap(n -> BackupCode.persist(codes));
    }

    /** Removes the TOTP secret and every backup code of an account. */
    public Uni<Void> removeAll(UUID userId) {
        return TotpCredential.delete("userId", userId)
                .flatMap(n -> BackupCode.delete("userId", userId))
                .replaceWithVoid();
    }
}
