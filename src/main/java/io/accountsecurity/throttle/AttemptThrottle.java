package io.accountsecurity.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.hibernate.reactive.mutiny.Mutiny;

import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.db.Db;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Consecutive-failure counters in PostgreSQL, so that lockouts hold across restarts and replicas. Each lockout lasts
 * twice the one before, from {@code base-lockout} up to {@code max-lockout}. The owner of {@code attempt_counters}:
 * every statement on it runs through Hibernate Reactive, in the caller's session or transaction (or, for the slot of
 * an attempt in flight, in one of its own).
 */
@Singleton
public class AttemptThrottle {

    /**
     * A counter as read before an attempt: its consecutive failures, the lockout in force (or null) and the attempts
     * in flight on it, the reading one included.
     */
    public record Status(int failures, Duration retryAfter, int inFlight) {

        public Status(int failures, Duration retryAfter) {
            this(failures, retryAfter, 0);
        }

        public boolean locked() {
            return retryAfter != null;
        }

        /** Whether the failures counted plus the attempts in flight exceed {@code limit}. */
        public boolean beyond(int limit) {
            return failures + inFlight > limit;
        }
    }

    /** The Retry-After of an attempt refused because others on the same counter are still being checked. */
    public static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    /**
     * Reserves an in-flight slot on the counter {@code :key}, at {@code :now}; a slot taken before {@code :stale}
     * belongs to an attempt that never gave it back (its replica died) and is dropped. Answers the counter, also
     * usable as a data-modifying WITH clause (bind it with {@link Reservation#bind}).
     */
    public static final String RESERVE = """
            insert into attempt_counters as a (counter_key, failures, lockouts, updated_at, in_flight, in_flight_at)
            values (:key, 0, 0, :now, 1, :now)
            on conflict (counter_key) do update
               set in_flight = case when a.in_flight_at < :stale then 1 else a.in_flight + 1 end, in_flight_at = :now
            returning counter_key, failures, in_flight,
                      coalesce((extract(epoch from locked_until) * 1000)::bigint, 0) as locked_until""";

    /** The parameters of {@link #RESERVE}. */
    public record Reservation(String key, Instant now, Instant stale) {
        public Mutiny.SelectionQuery<Object[]> bind(Mutiny.SelectionQuery<Object[]> query) {
            return query.setParameter("key", key).setParameter("now", now).setParameter("stale", stale);
        }
    }

    private static final String RELEASE =
            "update attempt_counters set in_flight = greatest(in_flight - 1, 0) where counter_key = :key";

    private final Clock clock;
    private final Duration baseLockout;
    private final Duration maxLockout;
    private final Duration inFlightWindow;

    public AttemptThrottle(Clock clock, SecurityConfig config) {
        this.clock = clock;
        this.baseLockout = config.throttle().baseLockout();
        this.maxLockout = config.throttle().maxLockout();
        this.inFlightWindow = config.throttle().inFlightWindow();
    }

    /** The parameters of {@link #RESERVE} for {@code key}, now. */
    public Reservation reservation(String key) {
        Instant now = clock.instant();
        return new Reservation(key, now, now.minus(inFlightWindow));
    }

    /**
     * {@link #RESERVE} read back through a list-bound key, which keeps the native select out of Hibernate's plan cache
     * (see {@code LoginLookup}).
     */
    private static final String RESERVE_ONE = "with reserved as (" + RESERVE + ")\n"
            + "select * from reserved where counter_key in (:keys)";

    /** Reserves a slot on the counter, outside any transaction; answers the counter. */
    public Uni<Status> reserve(String key) {
        return Db.session(() -> Panache.getSession().flatMap(session -> reservation(key)
                .bind(session.createNativeQuery(RESERVE_ONE, Object[].class)).setParameter("keys", List.of(key))
                .getSingleResult()))
                .map(row -> statusOf(((Number) row[1]).intValue(), ((Number) row[3]).longValue(),
                        ((Number) row[2]).intValue()));
    }

    /** Gives back the slot that {@link #reserve} took, whatever the attempt's outcome; outside any transaction. */
    public Uni<Void> release(String key) {
        // A slot that cannot be given back (database gone) expires with the in-flight window: the attempt's own
        // answer stands.
        return Db.session(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(RELEASE)
                .setParameter("key", key).executeUpdate()))
                .replaceWithVoid().onFailure().recoverWithNull();
    }

    private static final String PRUNE = """
            delete from attempt_counters
             where failures = 0 and (locked_until is null or locked_until < :now)
               and greatest(updated_at, coalesce(in_flight_at, updated_at)) < :idle""";

    /**
     * Deletes counters that hold nothing: no failure, no lockout, no attempt in flight for a day. Every password attempt
     * reserves a row, so without this the names tried by a flood would stay.
     */
    @Scheduled(every = "1h", delayed = "7m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        Instant now = clock.instant();
        return Db.transaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(PRUNE)
                .setParameter("now", now).setParameter("idle", now.minus(Duration.ofDays(1))).executeUpdate()))
                .replaceWithVoid();
    }

    /** A counter's status from its failures, the end of its lockout (epoch ms, 0 for none) and its slots taken. */
    public Status statusOf(int failures, long lockedUntilMillis, int inFlight) {
        Status status = statusOf(failures, lockedUntilMillis);
        return new Status(status.failures(), status.retryAfter(), inFlight);
    }

    private static final String STATUS = "select failures, lockedUntil from AttemptCounter where counterKey = :key";

    /** The counter's status; inside a session or transaction. */
    public Uni<Status> status(String key) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(STATUS, Object[].class)
                .setParameter("key", key)
                .getSingleResultOrNull())
                .map(row -> row == null ? new Status(0, null)
                        : statusOf((Integer) row[0], row[1] == null ? 0 : ((Instant) row[1]).toEpochMilli()));
    }

    /** A counter's status from its failures and the end of its lockout (epoch milliseconds, 0 for none). */
    public Status statusOf(int failures, long lockedUntilMillis) {
        long now = clock.millis();
        return new Status(failures, lockedUntilMillis > now ? Duration.ofMillis(lockedUntilMillis - now) : null);
    }

    private static final String COUNT_FAILURE = """
            insert into attempt_counters as a (counter_key, failures, lockouts, updated_at) values (:key, 1, 0, :now)
            on conflict (counter_key) do update set failures = a.failures + 1, updated_at = :now""";
    /**
     * Read back after {@link #COUNT_FAILURE}, in HQL: a native select's plan is never found in Hibernate's plan cache
     * (Hibernate Reactive's result set mapping has no equality), so each failure would add one that later lookups
     * walk, and a flood of wrong passwords is all failures.
     */
    private static final String COUNTED = "select failures, lockouts from AttemptCounter where counterKey = :key";
    private static final String LOCK = "update attempt_counters set failures = 0, lockouts = lockouts + 1, "
            + "locked_until = :until where counter_key = :key";
    private static final String RESET = "delete from attempt_counters where counter_key = :key";

    /**
     * Counts a failure; inside a transaction. Answers the lockout it started, or null when the account is not locked
     * by it.
     */
    public Uni<Duration> fail(String key, int maxFailures) {
        Instant now = clock.instant();
        return Panache.getSession().flatMap(session -> session.createNativeQuery(COUNT_FAILURE)
                .setParameter("key", key).setParameter("now", now)
                .executeUpdate()
                // The upsert holds the row's lock until the transaction ends: no other failure comes in between.
                .flatMap(counted -> session.createSelectionQuery(COUNTED, Object[].class).setParameter("key", key)
                        .getSingleResult())
                .flatMap(row -> {
                    Duration lockout = lockoutDue(((Number) row[0]).intValue(), ((Number) row[1]).intValue(),
                            maxFailures);
                    if (lockout == null) {
                        return Uni.createFrom().nullItem();
                    }
                    return session.createNativeQuery(LOCK)
                            .setParameter("key", key).setParameter("until", now.plus(lockout))
                            .executeUpdate().replaceWith(lockout);
                }));
    }

    /** Ends the counter's consecutive failures; inside a transaction. */
    public Uni<Void> reset(String key) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(RESET)
                .setParameter("key", key).executeUpdate()).replaceWithVoid();
    }

    /** The lockout that a counter of {@code failures} starts (after {@code lockouts} earlier ones), or null. */
    private Duration lockoutDue(int failures, int lockouts, int maxFailures) {
        return failures < maxFailures ? null : lockoutAfter(lockouts);
    }

    private Duration lockoutAfter(int earlierLockouts) {
        Duration lockout = baseLockout.multipliedBy(1L << Math.min(earlierLockouts, 20));
        return lockout.compareTo(maxLockout) > 0 ? maxLockout : lockout;
    }
}
