package io.accountsecurity.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.accountsecurity.config.SecurityConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/**
 * Consecutive-failure counters in PostgreSQL, so that lockouts hold across restarts and replicas. Each lockout lasts
 * twice the one before, from {@code base-lockout} up to {@code max-lockout}. Call it inside the caller's transaction:
 * a Hibernate Reactive one, or (the methods that take a {@link SqlClient}) one on the reactive SQL client.
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
     * Reserves an in-flight slot on the counter {@code $1}, at {@code $2} (now); a slot taken before {@code $3} belongs
     * to an attempt that never gave it back (its replica died) and is dropped. Answers the counter, also usable as a
     * data-modifying WITH clause.
     */
    public static final String RESERVE = """
            insert into attempt_counters as a (counter_key, failures, lockouts, updated_at, in_flight, in_flight_at)
            values ($1, 0, 0, $2, 1, $2)
            on conflict (counter_key) do update
               set in_flight = case when a.in_flight_at < $3 then 1 else a.in_flight + 1 end, in_flight_at = $2
            returning counter_key, failures, in_flight,
                      coalesce((extract(epoch from locked_until) * 1000)::bigint, 0) as locked_until""";

    private static final String RELEASE =
            "update attempt_counters set in_flight = greatest(in_flight - 1, 0) where counter_key = $1";

    private final Clock clock;
    private final Pool pool;
    private final Duration baseLockout;
    private final Duration maxLockout;
    private final Duration inFlightWindow;

    public AttemptThrottle(Clock clock, Pool pool, SecurityConfig config) {
        this.clock = clock;
        this.pool = pool;
        this.baseLockout = config.throttle().baseLockout();
        this.maxLockout = config.throttle().maxLockout();
        this.inFlightWindow = config.throttle().inFlightWindow();
    }

    /** The parameters of {@link #RESERVE} for {@code key}, now. */
    public Tuple reservation(String key) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return Tuple.of(key, now, now.minus(inFlightWindow));
    }

    /** Reserves a slot on the counter, outside any transaction; answers the counter. */
    public Uni<Status> reserve(String key) {
        return pool.preparedQuery(RESERVE).execute(reservation(key)).map(rows -> statusOf(rows.iterator().next()));
    }

    /** Gives back the slot that {@link #reserve} took, whatever the attempt's outcome; outside any transaction. */
    public Uni<Void> release(String key) {
        // A slot that cannot be given back (database gone) expires with the in-flight window: the attempt's own
        // answer stands.
        return pool.preparedQuery(RELEASE).execute(Tuple.of(key)).replaceWithVoid().onFailure().recoverWithNull();
    }

    private static final String PRUNE = """
            delete from attempt_counters
             where failures = 0 and (locked_until is null or locked_until < $1)
               and greatest(updated_at, coalesce(in_flight_at, updated_at)) < $2""";

    /**
     * Deletes counters that hold nothing: no failure, no lockout, no attempt in flight for a day. Every password attempt
     * reserves a row, so without this the names tried by a flood would stay.
     */
    @Scheduled(every = "1h", delayed = "7m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return pool.preparedQuery(PRUNE).execute(Tuple.of(now, now.minusDays(1))).replaceWithVoid();
    }

    /** A counter from a row of {@link #RESERVE}. */
    private Status statusOf(Row row) {
        return statusOf(row.getInteger("failures"), row.getLong("locked_until"), row.getInteger("in_flight"));
    }

    /** A counter's status from its failures, the end of its lockout (epoch ms, 0 for none) and its slots taken. */
    public Status statusOf(int failures, long lockedUntilMillis, int inFlight) {
        Status status = statusOf(failures, lockedUntilMillis);
        return new Status(status.failures(), status.retryAfter(), inFlight);
    }

    private static final String STATUS = "select failures, coalesce((extract(epoch from locked_until) * 1000)::bigint, 0) "
            + "from attempt_counters where counter_key = ";

    public Uni<Status> status(String key) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(STATUS + ":key", Object[].class)
                .setParameter("key", key)
                .getSingleResultOrNull())
                .map(row -> row == null ? new Status(0, null)
                        : statusOf(((Number) row[0]).intValue(), ((Number) row[1]).longValue()));
    }

    /** {@link #status(String)} in a transaction of the reactive SQL client. */
    public Uni<Status> status(SqlClient client, String key) {
        return client.preparedQuery(STATUS + "$1").execute(Tuple.of(key)).map(rows -> {
            Status status = new Status(0, null);
            for (Row row : rows) {
                status = statusOf(row.getInteger(0), row.getLong(1));
            }
            return status;
        });
    }

    /** A counter's status from its failures and the end of its lockout (epoch milliseconds, 0 for none). */
    public Status statusOf(int failures, long lockedUntilMillis) {
        long now = clock.millis();
        return new Status(failures, lockedUntilMillis > now ? Duration.ofMillis(lockedUntilMillis - now) : null);
    }

    /** Counts a failure; answers the lockout it started, or null when the account is not locked by it. */
    public Uni<Duration> fail(String key, int maxFailures) {
        Instant now = clock.instant();
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "insert into attempt_counters as a (counter_key, failures, lockouts, updated_at) "
                        + "values (:key, 1, 0, :now) on conflict (counter_key) do update "
                        + "set failures = a.failures + 1, updated_at = :now")
                .setParameter("key", key).setParameter("now", now)
                .executeUpdate()
                .flatMap(ignored -> session.createNativeQuery(
                        "select failures, lockouts from attempt_counters where counter_key = :key", Object[].class)
                        .setParameter("key", key).getSingleResult())
                .flatMap(row -> {
                    Duration lockout = lockoutDue(((Number) row[0]).intValue(), ((Number) row[1]).intValue(),
                            maxFailures);
                    if (lockout == null) {
                        return Uni.createFrom().nullItem();
                    }
                    return session.createNativeQuery("update attempt_counters set failures = 0, "
                            + "lockouts = lockouts + 1, locked_until = :until where counter_key = :key")
                            .setParameter("key", key).setParameter("until", now.plus(lockout))
                            .executeUpdate().replaceWith(lockout);
                }));
    }

    private static final String COUNT_FAILURE = """
            insert into attempt_counters as a (counter_key, failures, lockouts, updated_at) values ($1, 1, 0, $2)
            on conflict (counter_key) do update set failures = a.failures + 1, updated_at = $2
            returning failures, lockouts""";
    private static final String LOCK = "update attempt_counters set failures = 0, lockouts = lockouts + 1, "
            + "locked_until = $2 where counter_key = $1";
    private static final String RESET = "delete from attempt_counters where counter_key = ";

    /** {@link #fail(String, int)} in a transaction of the reactive SQL client ({@code client} is its connection). */
    public Uni<Duration> fail(SqlClient client, String key, int maxFailures) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return client.preparedQuery(COUNT_FAILURE).execute(Tuple.of(key, now)).flatMap(rows -> {
            Row row = rows.iterator().next();
            Duration lockout = lockoutDue(row.getInteger(0), row.getInteger(1), maxFailures);
            if (lockout == null) {
                return Uni.createFrom().nullItem();
            }
            return client.preparedQuery(LOCK).execute(Tuple.of(key, now.plus(lockout))).replaceWith(lockout);
        });
    }

    /** {@link #reset(String)} in a transaction of the reactive SQL client. */
    public Uni<Void> reset(SqlClient client, String key) {
        return client.preparedQuery(RESET + "$1").execute(Tuple.of(key)).replaceWithVoid();
    }

    public Uni<Void> reset(String key) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery(RESET + ":key")
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
