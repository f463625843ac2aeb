package io.accountsecurity.twofactor;

import java.time.Clock;
import java.util.UUID;

import io.accountsecurity.auth.AttemptThrottle;
import io.accountsecurity.common.Outcome;
import io.accountsecurity.common.ProblemException;
import io.accountsecurity.common.ProblemType;
import io.accountsecurity.common.SecurityMetrics;
import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.token.TokenIssuer;
import io.accountsecurity.user.Caller;
import io.accountsecurity.user.User;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;

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

    public Uni<Verified> verify(Caller caller, String code, String backupCode) {
        return Panache.withTransaction(() -> caller.account().flatMap(user -> TotpCredential
                .<TotpCredential>findById(user.id, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(credential -> {
                    if (credential == null || !credential.enabled()) {
                        return refused(ProblemType.INVALID_CODE, "Two-factor authentication is not enabled.");
                    }
                    return throttle.status(throttleKey(user.id)).flatMap(status -> {
                        if (status.locked()) {
                            return Uni.createFrom().item(
                                    Outcome.<Verified>refused(ProblemException.tooManyAttempts(status.retryAfter())));
                        }
                        Uni<Boolean> accepted = code != null ? acceptTotp(user, credential, code)
                                : acceptBackupCode(user, backupCode, caller.clientAddress());
                        return accepted.flatMap(ok -> ok ? succeed(user, status)
                                : countFailure(user, caller.clientAddress()).map(Outcome::<Verified>refused));
                    });
                })))
                .map(Outcome::orThrow);
    }

    /** Accepts a TOTP code; its step must be later than the last accepted one, which the same statement moves. */
    Uni<Boolean> acceptTotp(User user, TotpCredential credential, String code) {
        long step = totp.matchingStep(secrets.decrypt(user.id, credential.secretCiphertext), code);
        if (step < 0) {
            return Uni.createFrom().item(false);
        }
        return TotpCredential.update("lastUsedStep = ?1 where userId = ?2 and lastUsedStep < ?1", step, user.id)
                .map(rows -> rows == 1);
    }

    private Uni<Boolean> acceptBackupCode(User user, String backupCode, String clientAddress) {
        String normalized = BackupCodes.normalize(backupCode);
        if (normalized == null) {
            return Uni.createFrom().item(false);
        }
        byte[] hash = secrets.backupCodeHash(user.id, normalized);
        return BackupCode.update("usedAt = ?1 where userId = ?2 and codeHash = ?3 and usedAt is null",
                clock.instant(), user.id, hash)
                .flatMap(rows -> rows == 1
                        ? events.record(EventType.BACKUP_CODE_USED, user.id, null, clientAddress,
                                "A backup code was used to log in").replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    private Uni<Outcome<Verified>> succeed(User user, AttemptThrottle.Status status) {
        metrics.secondFactor(true);
        Uni<Void> reset = status.failures() > 0 ? throttle.reset(throttleKey(user.id)) : Uni.createFrom().voidItem();
        return reset.flatMap(v -> BackupCode.count("userId = ?1 and usedAt is null", user.id))
                .map(remaining -> Outcome.of(new Verified(
                        new TokenIssuer.Subject(user.id, user.username, user.platformAdmin, user.tokenVersion),
                        remaining.intValue())));
    }

    /** Counts a wrong code; the answer is 401 invalid-code, and the lockout starts once the limit is reached. */
    public Uni<ProblemException> countFailure(User user, String clientAddress) {
        metrics.secondFactor(false);
        return throttle.fail(throttleKey(user.id), maxFailures).flatMap(lockout -> {
            Uni<Void> recorded = Uni.createFrom().voidItem();
            if (lockout != null) {
                metrics.lockout();
                recorded = events.record(EventType.LOCKED_OUT, user.id, null, clientAddress,
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
