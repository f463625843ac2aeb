package io.accountsecurity.auth;

import java.time.Duration;
import java.util.Locale;

import io.accountsecurity.common.ClientAddresses;
import io.accountsecurity.config.SecurityConfig;
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
        return throttle.fail(keys.pair(), config.passwordFailures())
                .flatMap(pair -> throttle.fail(keys.account(), config.accountPasswordFailures())
                        .flatMap(account -> throttle.fail(keys.address(), config.addressPasswordFailures())
                                .replaceWith(pair != null ? pair : account)));
    }

    /** A right password ends the consecutive failures of all three; inside a transaction. */
    public Uni<Void> reset(Keys keys) {
        return throttle.reset(keys.pair()).flatMap(v -> throttle.reset(keys.account()))
                .flatMap(v -> throttle.reset(keys.address()));
    }
}
