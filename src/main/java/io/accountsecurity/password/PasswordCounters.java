package io.accountsecurity.password;

import java.time.Duration;
import java.util.Locale;

import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.throttle.AttemptThrottle;
import io.accountsecurity.web.ClientAddresses;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * The three counters of wrong passwords, so that one attacker can neither guess freely nor lock a user out from
 * everywhere: per (account, client address) the tight one (10), per account from all addresses NIST's ceiling (100),
 * and per client address whatever the accounts (30), which slows down an address that sprays passwords across
 * accounts. IPv6 addresses count by their /64, which one client holds whole. Stored in PostgreSQL
 * ({@link AttemptThrottle}), so they hold across replicas.
 */
@Singleton
public class PasswordCounters {

    /** The counters' keys of one attempt. */
    public record Keys(String pair, String account, String address) {
        /**
         * The keys in the one order in which the statements that lock several of their rows (count, reset) take
         * them, so that concurrent attempts cannot deadlock.
         */
        String[] all() {
            return new String[] { account, address, pair };
        }
    }

    /** Their statuses, as the login's one read gives them. */
    public record Statuses(AttemptThrottle.Status pair, AttemptThrottle.Status account,
            AttemptThrottle.Status address) {

        /** The longest lockout in force, or null when none is. */
        public Duration retryAfter() {
            Duration longest = null;
            for (AttemptThrottle.Status status : new AttemptThrottle.Status[] { pair, account, address }) {
                if (status.locked() && (longest == null || status.retryAfter().compareTo(longest) > 0)) {
                    longest = status.retryAfter();
                }
            }
            return longest;
        }

        /**
         * Refuses the attempt (429) while a counter is locked, or while the (account, address) counter's failures plus
         * the attempts in flight on it exceed its limit: a burst of guesses sent at once, to any number of replicas,
         * is checked at most the limit's times. Only that counter takes slots: concurrent logins of many accounts
         * from one address (an office behind NAT) are many people, not a burst.
         */
        public void refuseIfBeyond(SecurityConfig.Throttle limits) {
            Duration locked = retryAfter();
            if (locked != null) {
                throw ProblemException.tooManyAttempts(locked);
            }
            if (pair.beyond(limits.passwordFailures())) {
                throw ProblemException.tooManyAttempts(AttemptThrottle.BUSY_RETRY);
            }
        }

        public boolean anyFailures() {
            return pair.failures() > 0 || account.failures() > 0 || address.failures() > 0;
        }
    }

    private final AttemptThrottle throttle;
    private final SecurityConfig.Throttle config;

    public PasswordCounters(AttemptThrottle throttle, SecurityConfig config) {
        this.throttle = throttle;
        this.config = config.throttle();
    }

    public static Keys keys(String username, String clientAddress) {
        String name = username.toLowerCase(Locale.ROOT);
        String group = ClientAddresses.group(clientAddress);
        return new Keys("pwd:" + name + "|" + group, "pwd-account:" + name, "pwd-address:" + group);
    }

    /**
     * Counts a wrong password on all three; inside a transaction. Answers the lockout it started on the pair or the
     * account (which the account's security events record), or null.
     */
    public Uni<Duration> fail(Keys keys) {
        return throttle.fail(keys.account(), config.accountPasswordFailures())
                .flatMap(account -> throttle.fail(keys.address(), config.addressPasswordFailures())
                        .flatMap(address -> throttle.fail(keys.pair(), config.passwordFailures())
                                .map(pair -> pair != null ? pair : account)));
    }

    /** The parameters of {@link AttemptThrottle#RESERVE} that reserve the attempt's slot on its pair. */
    public AttemptThrottle.Reservation reservation(Keys keys) {
        return throttle.reservation(keys.pair());
    }

    /** Gives back the slot of an attempt, once it has ended whatever its outcome. */
    public Uni<Void> release(Keys keys) {
        return throttle.release(keys.pair());
    }

    public SecurityConfig.Throttle limits() {
        return config;
    }

    /** A right password ends the consecutive failures of all three; inside a transaction. */
    public Uni<Void> reset(Keys keys) {
        return throttle.reset(keys.account()).flatMap(v -> throttle.reset(keys.address()))
                .flatMap(v -> throttle.reset(keys.pair()));
    }
}
