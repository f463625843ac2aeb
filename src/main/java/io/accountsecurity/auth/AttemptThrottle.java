package io.accountsecurity.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.accountsecurity.config.SecurityConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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

    /** A counter as read before an attempt. */
    public record Status(int failures, Duration retryAfter) {
        public boolean locked() {
            return retryAfter != null;
        }
    }

    private final Clock clock;
    private final Duration baseLockout;
    private final Duration maxLockout;

    public AttemptThrottle(Clock clock, SecurityConfig config) {
        this.clock = clock;
        this.baseLockout = config.throttle().baseLockout();
        this.maxLockout = config.throttle().maxLockout();
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
