package io.accountsecurity.twofactor;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Function;

import io.accountsecurity.account.Caller;
import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.db.Db;
import io.accountsecurity.db.Outcome;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.platform.SecurityMetrics;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.throttle.AttemptThrottle;
import io.accountsecurity.token.TokenIssuer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
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

    private final Pool pool;
    private final Totp totp;
    private final Clock clock;
    private final ServerSecrets secrets;
    private final AttemptThrottle throttle;
    private final SecurityEvents events;
    private final SecurityMetrics metrics;
    private final int maxFailures;

    public SecondFactor(Pool pool, Clock clock, ServerSecrets secrets, AttemptThrottle throttle, SecurityEvents events,
            SecurityMetrics metrics, SecurityConfig config) {
        this.pool = pool;
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
                   (select count(*) from backup_codes b where b.user_id = u.id and b.used_at is null), t.key_id
              from users u
              join totp_credentials t on t.user_id = u.id
             where u.id = $1
               for update of t""";
    private static final String TOKEN_VERSION = "select token_version from users where id = $1";
    private static final String USE_STEP =
            "update totp_credentials set last_used_step = $1 where user_id = $2 and last_used_step < $1";
    /** The same, sealing the secret again with the current key when an earlier one had sealed it. */
    private static final String USE_STEP_RESEALED = "update totp_credentials set last_used_step = $1, "
            + "secret_ciphertext = $3, key_id = $4 where user_id = $2 and last_used_step < $1";
    /** $3: the code's hash under every configured key; during a rotation, stored hashes may be under an earlier one. */
    private static final String USE_BACKUP_CODE = "update backup_codes set used_at = $1 "
            + "where user_id = $2 and code_hash = any($3) and used_at is null";

    private record Attempt(TokenIssuer.Subject subject, byte[] secretCiphertext, String keyId, boolean enabled,
            AttemptThrottle.Status throttle, int backupCodesRemaining) {
    }

    /**
     * Checks a code or a backup code of the caller's mfa token. This is half of every login with 2FA, so it runs on
     * the reactive SQL client: through Hibernate Reactive the same three statements cost the service about as much
     * CPU again as the rest of the step.
     */
    public Uni<Verified> verify(Caller caller, String code, String backupCode) {
        UUID userId = caller.userId();
        return Db.sqlTransaction(pool, connection -> connection.preparedQuery(ATTEMPT).execute(Tuple.of(userId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        // No TOTP row: a token of a revoked session (401 unauthorized) or 2FA not enabled.
                        return notEnabledOrRevoked(connection, caller);
                    }
                    Row row = rows.iterator().next();
                    // The counter is read once the lock is held.
                    return throttle.status(connection, throttleKey(userId)).flatMap(
                            status -> decide(connection, caller, code, backupCode, attempt(userId, row, status)));
                }))
                .map(Outcome::orThrow);
    }

    /** With the row locked and the counter read: refuses, or checks the code and marks it used or counts it. */
    private Uni<Outcome<Verified>> decide(SqlConnection connection, Caller caller, String code, String backupCode,
            Attempt attempt) {
        UUID userId = caller.userId();
        if (attempt.subject().tokenVersion() != caller.tokenVersion()) {
            throw Caller.revoked();
        }
        if (!attempt.enabled()) {
            return Uni.createFrom().item(notEnabled());
        }
        if (attempt.throttle().locked()) {
            return Uni.createFrom().item(
                    Outcome.<Verified>refused(ProblemException.tooManyAttempts(attempt.throttle().retryAfter())));
        }
        Uni<Boolean> accepted = code != null
                ? acceptTotp(connection, userId, attempt, code)
                : acceptBackupCode(connection, userId, backupCode, caller.clientAddress());
        return accepted.flatMap(ok -> ok ? succeed(connection, attempt, code == null)
                : countFailure(connection, userId, caller.clientAddress()).map(Outcome::<Verified>refused));
    }

    private static Attempt attempt(UUID userId, Row row, AttemptThrottle.Status status) {
        return new Attempt(new TokenIssuer.Subject(userId, row.getString(0), row.getBoolean(1), row.getInteger(2)),
                row.getBuffer(3).getBytes(), row.getString(6), row.getBoolean(4), status, row.getInteger(5));
    }

    private static Uni<Outcome<Verified>> notEnabledOrRevoked(SqlConnection connection, Caller caller) {
        return connection.preparedQuery(TOKEN_VERSION).execute(Tuple.of(caller.userId())).map(rows -> {
            if (rows.size() == 0 || rows.iterator().next().getInteger(0) != caller.tokenVersion()) {
                throw Caller.revoked();
            }
            return notEnabled();
        });
    }

    private static Outcome<Verified> notEnabled() {
        return Outcome.refused(
                new ProblemException(ProblemType.INVALID_CODE, "Two-factor authentication is not enabled."));
    }

    /**
     * Accepts a TOTP code; its step must be later than the last accepted one, which the same statement moves. A secret
     * sealed with an earlier key is sealed again with the current one.
     */
    private Uni<Boolean> acceptTotp(SqlConnection connection, UUID userId, Attempt attempt, String code) {
        ServerSecrets.Opened opened = secrets.decrypt(userId, attempt.secretCiphertext(), attempt.keyId());
        long step = totp.matchingStep(opened.secret(), code);
        if (step < 0) {
            return Uni.createFrom().item(false);
        }
        Uni<RowSet<Row>> used = opened.stale()
                ? connection.preparedQuery(USE_STEP_RESEALED).execute(Tuple.of(step, userId,
                        Buffer.buffer(secrets.encrypt(userId, opened.secret())), secrets.currentKeyId()))
                : connection.preparedQuery(USE_STEP).execute(Tuple.of(step, userId));
        return used.map(rows -> rows.rowCount() == 1);
    }

    private Uni<Boolean> acceptBackupCode(SqlConnection connection, UUID userId, String backupCode,
            String clientAddress) {
        String normalized = BackupCodes.normalize(backupCode);
        if (normalized == null) {
            return Uni.createFrom().item(false);
        }
        Buffer[] hashes = secrets.backupCodeHashes(userId, normalized).stream().map(Buffer::buffer)
                .toArray(Buffer[]::new);
        return connection.preparedQuery(USE_BACKUP_CODE)
                .execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC), userId, hashes))
                .flatMap(rows -> rows.rowCount() == 1
                        ? events.record(connection, EventType.BACKUP_CODE_USED, userId, null, clientAddress,
                                "A backup code was used to log in").replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    private Uni<Outcome<Verified>> succeed(SqlConnection connection, Attempt attempt, boolean usedBackupCode) {
        metrics.secondFactor(true);
        Uni<Void> reset = attempt.throttle().failures() > 0
                ? throttle.reset(connection, throttleKey(attempt.subject().id()))
                : Uni.createFrom().voidItem();
        int remaining = attempt.backupCodesRemaining() - (usedBackupCode ? 1 : 0);
        return reset.map(v -> Outcome.of(new Verified(attempt.subject(), remaining)));
    }

    private Uni<ProblemException> countFailure(SqlConnection connection, UUID userId, String clientAddress) {
        metrics.secondFactor(false);
        return wrongCode(throttle.fail(connection, throttleKey(userId), maxFailures), lockout -> events.record(
                connection, EventType.LOCKED_OUT, userId, null, clientAddress, lockedDetail(lockout)));
    }

    /**
     * Counts a wrong code inside the caller's Hibernate Reactive transaction (the confirmation of an enrollment); the
     * answer is 401 invalid-code, and the lockout starts once the limit is reached.
     */
    public Uni<ProblemException> countFailure(UUID userId, String clientAddress) {
        metrics.secondFactor(false);
        return wrongCode(throttle.fail(throttleKey(userId), maxFailures), lockout -> events.record(
                EventType.LOCKED_OUT, userId, null, clientAddress, lockedDetail(lockout)));
    }

    /** The refusal of a wrong code, once the failure is counted and a lockout it started is recorded. */
    private Uni<ProblemException> wrongCode(Uni<Duration> counted, Function<Duration, Uni<Void>> recordLockout) {
        return counted.flatMap(lockout -> {
            Uni<Void> recorded = Uni.createFrom().voidItem();
            if (lockout != null) {
                metrics.lockout();
                recorded = recordLockout.apply(lockout);
            }
            return recorded.replaceWith(
                    new ProblemException(ProblemType.INVALID_CODE, "The code is wrong, expired or already used."));
        });
    }

    private static String lockedDetail(Duration lockout) {
        return "Second factor locked for " + lockout.toSeconds() + " s after repeated wrong codes";
    }
}
