package io.accountsecurity.auth;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import io.accountsecurity.common.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Password attempts in flight, per throttle key, in this replica. The lockout counter counts a wrong password once
 * its hash has said so, tens of milliseconds after the attempt read the counter: attempts sent at the same moment all
 * read "not locked" and were all checked (40 concurrent wrong passwords, 40 checks, for a limit of 10). An attempt now
 * takes a slot before it reads the counter and is refused while the failures counted plus the attempts in flight, its
 * own included, exceed the limit. A slot is given back once the attempt's failure is counted, so an attempt is always
 * in one of the two, and at times in both: one that reads the counter just after another's failure was counted, before
 * that one gave its slot back, counts that failure twice and is refused. That errs on the safe side (a burst may be
 * checked fewer times than the limit, never more; a refused attempt may be sent again a second later). The slots are
 * this replica's: with n replicas behind a load balancer, a burst gets at most n times the limit before the lockout.
 */
@Singleton
public class AttemptsInFlight {

    /** The Retry-After of an attempt refused because others of the same key are still being checked. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    /**
     * Runs {@code attempt} holding a slot of {@code key}; it gets the number of this key's attempts in flight, its own
     * included, and answers through {@link #refuseBeyond} when that is too many.
     */
    public <T> Uni<T> run(String key, IntFunction<Uni<T>> attempt) {
        return Uni.createFrom().deferred(() -> {
            int position = inFlight.merge(key, 1, Integer::sum);
            return attempt.apply(position).onTermination().invoke(() -> release(key));
        });
    }

    /** Refuses (429, Retry-After 1 s) when the failures counted and the attempts in flight exceed the limit. */
    public static void refuseBeyond(AttemptThrottle.Status status, int inFlight, int maxFailures) {
        if (status.failures() + inFlight > maxFailures) {
            throw ProblemException.tooManyAttempts(BUSY_RETRY);
        }
    }

    private void release(String key) {
        inFlight.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }
}
