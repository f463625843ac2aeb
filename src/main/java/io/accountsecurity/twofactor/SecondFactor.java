package io.accountsecurity.twofactor;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import io.accountsecurity.account.Caller;
import io.accountsecurity.account.Users;
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
import jakarta.inject.Singleton;

/**
 * Checks a second factor: a TOTP code (each time step once per account) or a backup code (each once), with the
 * consecutive-failure lockout. {@link #check} is the one routine of every code check, the login's second step and
 * the confirmation of an enrollment: with the account's TOTP row locked, so that concurrent attempts are taken one at
 * a time, it refuses a locked-out account, checks the code and marks it used or counts the failure, in the caller's
 * transaction.
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
    private final Factors factors;
    private final Users users;
    private final int maxFailures;

    public SecondFactor(Clock clock, ServerSecrets secrets, AttemptThrottle throttle, SecurityEvents events,
            SecurityMetrics metrics, SecurityConfig config, Factors factors, Users users) {
        this.totp = new Totp(clock);
        this.clock = clock;
        this.secrets = secrets;
        this.throttle = throttle;
        this.events = events;
        this.metrics = metrics;
        this.factors = factors;
        this.users = users;
        this.maxFailures = config.throttle().codeFailures();
    }

    private static String throttleKey(UUID userId) {
        return "otp:" + userId;
    }

    /**
     * Checks a code or a backup code of the caller's mfa token and, when it is right, runs {@code then} in the same
     * transaction (the login starts its session there): the code is used only if what follows it commits too.
     */
    public <T> Uni<T> verify(Caller caller, String code, String backupCode, Function<Verified, Uni<T>> then) {
        UUID userId = caller.userId();
        return Db.transaction(() -> factors.lockForCheck(userId).<Outcome<T>>flatMap(locked -> {
            if (locked == null) {
                // No TOTP row: a token of a revoked session (401 unauthorized) or 2FA not enabled.
                return notEnabledOrRevoked(caller);
            }
            if (locked.tokenVersion() != caller.tokenVersion()) {
                throw Caller.revoked();
            }
            if (!locked.enabled()) {
                return Uni.createFrom().item(SecondFactor.<T>notEnabled());
            }
            var subject = new TokenIssuer.Subject(userId, locked.username(), locked.platformAdmin(),
                    locked.tokenVersion());
            if (code != null) {
                return check(userId, caller.clientAddress(), () -> acceptTotp(userId, locked, code),
                        () -> then.apply(new Verified(subject, locked.backupCodesRemaining())));
            }
            return check(userId, caller.clientAddress(),
                    () -> acceptBackupCode(userId, backupCode, caller.clientAddress()),
                    () -> then.apply(new Verified(subject, locked.backupCodesRemaining() - 1)));
        })).map(Outcome::orThrow);
    }

    /**
     * The check of one code, inside the caller's transaction, once it holds the account's TOTP row lock (the counter
     * is read here, after the lock). Refuses a locked-out account (429), runs {@code accept} (which marks the code
     * used and answers whether it was right), then either ends the consecutive failures and answers what
     * {@code succeed} gives, or counts the failure (recording the lockout it starts) and refuses with 401
     * invalid-code.
     */
    public <T> Uni<Outcome<T>> check(UUID userId, String clientAddress, Supplier<Uni<Boolean>> accept,
            Supplier<Uni<T>> succeed) {
        String key = throttleKey(userId);
        return throttle.status(key).flatMap(status -> {
            if (status.locked()) {
                return Uni.createFrom().item(Outcome.<T>refused(ProblemException.tooManyAttempts(status.retryAfter())));
            }
            return accept.get().flatMap(right -> {
                metrics.secondFactor(right);
                if (!right) {
                    return countFailure(key, userId, clientAddress).map(Outcome::<T>refused);
                }
                Uni<Void> reset = status.failures() > 0 ? throttle.reset(key) : Uni.createFrom().voidItem();
                return reset.flatMap(v -> succeed.get()).map(Outcome::of);
            });
        });
    }

    private <T> Uni<Outcome<T>> notEnabledOrRevoked(Caller caller) {
        return users.findById(caller.userId()).map(user -> {
            if (user == null || user.tokenVersion != caller.tokenVersion()) {
                throw Caller.revoked();
            }
            return SecondFactor.<T>notEnabled();
        });
    }

    private static <T> Outcome<T> notEnabled() {
        return Outcome.refused(
                new ProblemException(ProblemType.INVALID_CODE, "Two-factor authentication is not enabled."));
    }

    /**
     * Accepts a TOTP code; its step must be later than the last accepted one, which the same statement moves. A secret
     * sealed with an earlier key is sealed again with the current one.
     */
    private Uni<Boolean> acceptTotp(UUID userId, Factors.Locked locked, String code) {
        Match match = match(userId, locked.secretCiphertext(), locked.keyId(), code);
        if (match.step() < 0) {
            return Uni.createFrom().item(false);
        }
        return match.opened().stale()
                ? factors.useStepResealed(userId, match.step(), secrets.encrypt(userId, match.opened().secret()),
                        secrets.currentKeyId())
                : factors.useStep(userId, match.step());
    }

    /** A sealed secret, opened, and the time step whose code was given (-1 when none in the window matches). */
    public record Match(ServerSecrets.Opened opened, long step) {
    }

    /** Opens the account's sealed TOTP secret and finds the step of {@code code}. */
    public Match match(UUID userId, byte[] secretCiphertext, String keyId, String code) {
        ServerSecrets.Opened opened = secrets.decrypt(userId, secretCiphertext, keyId);
        return new Match(opened, totp.matchingStep(opened.secret(), code));
    }

    private Uni<Boolean> acceptBackupCode(UUID userId, String backupCode, String clientAddress) {
        String normalized = BackupCodes.normalize(backupCode);
        if (normalized == null) {
            return Uni.createFrom().item(false);
        }
        return factors.useBackupCode(userId, secrets.backupCodeHashes(userId, normalized), clock.instant())
                .call(used -> used ? events.record(EventType.BACKUP_CODE_USED, userId, null, clientAddress,
                        "A backup code was used to log in") : Uni.createFrom().voidItem());
    }

    /** Counts a wrong code; the refusal, once a lockout it started is recorded. */
    private Uni<ProblemException> countFailure(String key, UUID userId, String clientAddress) {
        return throttle.fail(key, maxFailures).flatMap(lockout -> {
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
}
