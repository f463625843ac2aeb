package io.accountsecurity.password;

import io.accountsecurity.account.Caller;
import io.accountsecurity.account.User;
import io.accountsecurity.account.Users;
import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.db.Db;
import io.accountsecurity.db.Outcome;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.throttle.AttemptThrottle;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * The password asked again before a sensitive change. Wrong passwords count toward the same lockout as the login's
 * password step, so a stolen token does not open a password oracle.
 */
@Singleton
public class Reauthentication {

    private final PasswordHasher hasher;
    private final AttemptThrottle throttle;
    private final int maxFailures;
    private final Users users;

    public Reauthentication(PasswordHasher hasher, AttemptThrottle throttle, SecurityConfig config, Users users) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.maxFailures = config.throttle().passwordFailures();
    }

    /** The caller's account once the password is right; 401 invalid-credentials otherwise. */
    public Uni<User> confirm(Caller caller, String password) {
        // The token's username is the account's (usernames do not change), so the slot is taken before the read.
        String key = PasswordCounters.keys(caller.username(), caller.clientAddress()).pair();
        return throttle.reserve(key).flatMap(status -> {
            if (status.locked()) {
                throw ProblemException.tooManyAttempts(status.retryAfter());
            }
            if (status.beyond(maxFailures)) {
                throw ProblemException.tooManyAttempts(AttemptThrottle.BUSY_RETRY);
            }
            return Db.session(() -> users.standing(caller));
        }).flatMap(account -> hasher.verify(password, account.passwordHash).flatMap(valid -> valid
                ? Uni.createFrom().item(account)
                : Db.transaction(() -> throttle.fail(key, maxFailures))
                        .map(lockout -> Outcome.<User>refused(new ProblemException(
                                ProblemType.INVALID_CREDENTIALS, "The password is wrong.")))
                        .map(Outcome::orThrow)))
                .onTermination().call((result, failure, cancelled) -> throttle.release(key));
    }
}
