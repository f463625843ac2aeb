package io.accountsecurity.twofactor;

import java.time.Clock;
import java.util.UUID;

import io.accountsecurity.auth.AttemptThrottle;
import io.accountsecurity.common.Db;
import io.accountsecurity.common.Outcome;
import io.accountsecurity.common.ProblemException;
import io.accountsecurity.common.ProblemType;
import io.accountsecurity.common.SecurityMetrics;
import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.token.TokenIssuer;
import io.accountsecurity.user.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Checks a second factor: a TOTP code (each time step once per account) or a backup code (each once), with the
 * consecutive-failure lockout. Check, mark used, count the failure and record the event happen in one transaction,
 * with the account's TOTP row locked, so concurrent attempts are taken one at a time.
 */
@Singleton
public class SecondFactor {

    /** The account after a correct second factor. */
    public record Verified(TokenIssuer.Subject subject, int backupCodesRemaining) {
    }

    private final Totp totp;
    private final Clock clock;
    private final ServerSecrets secrets;
    private final AttemptThrottle throttle;
    private final SecurityEvents events;
    private final SecurityMetrics metrics;
    private final int maxFailures;

    public SecondFactor(Clock clock, ServerSecrets secrets, AttemptThrottle throttle, SecurityEvents events,
            SecurityMetrics metrics, SecurityConfig config) {
        this.totp = new Totp(clock);
        this.clock = clock;
        this.secrets = secrets;
        this.throttle = throttle;
        this.events = events;
        this.metrics = metrics;
        this.maxFailures = config.throttle().codeFailures();
    }

    public Uni<Boolean> isEnabled(UUID userId) {
        return TotpCredential.count("userId = ?1 and enabledAt is not null", userId).map(n -> n > 0);
    }

    public static String throttleKey(UUID userId) {
        return "otp:" + userId;
    }

    /**
     * What a second-factor attempt reads about the account, in one statement that also locks its TOTP row. The
     * failure counter is read by the next statement: one statement sees the rows of other tables as they were when it
     * began, before it waited for the lock, so it would miss the failures that the attempts before it counted.
     */
    private static final String ATTEMPT = """
            select u.username, u.platform_admin, u.token_version, t.secret_ciphertext, t.enabled_at is not null,
                   (select count(*) from backup_codes b where b.user_id = u.id and b.used_at is null)
              from users u
              join totp_credentials t on t.user_id = u.id
             where u.id = :id
               for update of t""";

    private record Attempt(TokenIssuer.Subject subject, byte[] secretCiphertext, boolean enabled,
            AttemptThrottle.Status throttle, int backupCodesRemaining) {
    }

    public Uni<Verified> verify(Caller caller, String code, String backupCode) {
        UUID userId = caller.userId();
        return Db.transaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(ATTEMPT, Object[].class)
                        .setParameter("id", userId).getSingleResultOrNull())
                .flatMap(row -> row == null ? Uni.createFrom().item(new Object[2])
                        : throttle.status(throttleKey(userId)).map(status -> new Object[] { row, status }))
                .flatMap(read -> {
                    Object[] row = (Object[]) read[0];
                    if (row == null) {
                        // No TOTP row: a token of a revoked session (401 unauthorized) or 2FA not enabled.
                        return caller.account().map(user -> Outcome.<Verified>refused(
                                new ProblemException(ProblemType.INVALID_CODE, "Two-factor authentication is not enabled.")));
                    }
                    Attempt attempt = attempt(userId, row, (AttemptThrottle.Status) read[1]);
                    if (attempt.subject().tokenVersion() != caller.tokenVersion()) {
                        throw Caller.revoked();
                    }
                    if (!attempt.enabled()) {
                        return refused(ProblemType.INVALID_CODE, "Two-factor authentication is not enabled.");
                    }
                    if (attempt.throttle().locked()) {
                        return Uni.createFrom().item(
                                Outcome.<Verified>refused(ProblemException.tooManyAttempts(attempt.throttle().retryAfter())));
                    }
                    Uni<Boolean> accepted = code != null ? acceptTotp(userId, attempt.secretCiphertext(), code)
                            : acceptBackupCode(userId, backupCode, caller.clientAddress());
                    return accepted.flatMap(ok -> ok ? succeed(attempt, code == null)
                            : countFailure(userId, caller.clientAddress()).map(Outcome::<Verified>refused));
                }))
                .map(Outcome::orThrow);
    }

    private Attempt attempt(UUID userId, Object[] row, AttemptThrottle.Status throttle) {
        return new Attempt(new TokenIssuer.Subject(userId, (String) row[0], (Boolean) row[1], ((Number) row[2]).intValue()),
                (byte[]) row[3], (Boolean) row[4], throttle, ((Number) row[5]).intValue());
    }

    /** Accepts a TOTP code; its step must be later than the last accepted one, which the same statement moves. */
    Uni<Boolean> acceptTotp(UUID userId, byte[] secretCiphertext, String code) {
        long step = totp.matchingStep(secrets.decrypt(userId, secretCiphertext), code);
        if (step < 0) {
            return Uni.createFrom().item(false);
        }
        return TotpCredential.update("lastUsedStep = ?1 where userId = ?2 and lastUsedStep < ?1", step, userId)
                .map(rows -> rows == 1);
    }

    private Uni<Boolean> acceptBackupCode(UUID userId, String backupCode, String clientAddress) {
        String normalized = BackupCodes.normalize(backupCode);
        if (normalized == null) {
            return Uni.createFrom().item(false);
        }
        byte[] hash = secrets.backupCodeHash(userId, normalized);
        return BackupCode.update("usedAt = ?1 where userId = ?2 and codeHash = ?3 and usedAt is null",
                clock.instant(), userId, hash)
                .flatMap(rows -> rows == 1
                        ? events.record(EventType.BACKUP_CODE_USED, userId, null, clientAddress,
                                "A backup code was used to log in").replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    private Uni<Outcome<Verified>> succeed(Attempt attempt, boolean usedBackupCode) {
        metrics.secondFactor(true);
        Uni<Void> reset = attempt.throttle().failures() > 0 ? throttle.reset(throttleKey(attempt.subject().id()))
                : Uni.createFrom().voidItem();
        int remaining = attempt.backupCodesRemaining() - (usedBackupCode ? 1 : 0);
        return reset.map(v -> Outcome.of(new Verified(attempt.subject(), remaining)));
    }

    /** Counts a wrong code; the answer is 401 invalid-code, and the lockout starts once the limit is reached. */
    public Uni<ProblemException> countFailure(UUID userId, String clientAddress) {
        metrics.secondFactor(false);
        return throttle.fail(throttleKey(userId), maxFailures).flatMap(lockout -> {
            Uni<Void> recorded = Uni.createFrom().voidItem();
            if (lockout != null) {
                metrics.lockout();
                recorded = events.record(EventType.LOCKED_OUT, userId, null, clientAddress,
                        "Second factor locked for " + lockout.toSeconds() + " s after repeated wrong codes");
            }
            return recorded.replaceWith(
                    new ProblemException(ProblemType.INVALID_CODE, "The code is wrong, expired or already used."));
        });
    }

    private static Uni<Outcome<Verified>> refused(ProblemType type, String detail) {
        return Uni.createFrom().item(Outcome.refused(new ProblemException(type, detail)));
    }
}
