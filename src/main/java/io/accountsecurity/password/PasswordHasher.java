package io.accountsecurity.password;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.login.KnownClients;
import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Argon2id password hashes ({@link Argon2id}: PHC strings that carry their parameters), computed on a pool of its own,
 * one thread per core by default: hashing never runs on the event loop, and the pool bounds the memory that hashes
 * hold. Its queue is bounded too (one lane for known clients, one for the others: {@link HashingPool}): a hash that
 * finds its lane full is refused at once with 503 service-unavailable and Retry-After, so a flood of logins costs
 * neither the heap nor the other requests' latency.
 */
@Singleton
public class PasswordHasher {

    private final Argon2id.Cost cost;
    private final String dummyHash;
    /** Checks against stored hashes and against the dummy: what an unknown name costs is visible to tests. */
    private final LongAdder storedChecks = new LongAdder();
    private final LongAdder dummyChecks = new LongAdder();
    /** The Retry-After of a login refused because the hashing queue is full. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private final HashingPool pool;
    private final PasswordPolicy policy;
    private final int acceptedMaxMemoryKib;
    private final int acceptedMaxIterations;

    public PasswordHasher(SecurityConfig config, PasswordPolicy policy) {
        this.policy = policy;
        SecurityConfig.PasswordHash configured = config.passwordHash();
        this.cost = new Argon2id.Cost(configured.memoryKib(), configured.iterations(), configured.parallelism());
        // The service's own cost is always accepted, whatever the range says.
        this.acceptedMaxMemoryKib = Math.max(configured.acceptedMaxMemoryKib(), configured.memoryKib());
        this.acceptedMaxIterations = Math.max(configured.acceptedMaxIterations(), configured.iterations());
        int threads = configured.maxConcurrent() > 0 ? configured.maxConcurrent()
                : Runtime.getRuntime().availableProcessors();
        this.pool = new HashingPool(threads, configured.queuePerThread() * threads);
        // Unknown usernames are checked against this, so that they cost the same time as known ones; no hash is made
        // for it at start-up.
        this.dummyHash = Argon2id.unmatchable(cost);
    }

    @PreDestroy
    void close() {
        pool.shutdown();
    }

    public Uni<String> hash(String password) {
        return onPool(() -> Argon2id.hash(password, cost), true, null);
    }

    /**
     * A new password's hash, once {@link PasswordPolicy} accepts it (400 weak-password otherwise): both on the pool,
     * since the strength estimate costs milliseconds of CPU too.
     */
    public Uni<String> hashNew(String username, String password) {
        return onPool(() -> {
            policy.check(username, password);
            return Argon2id.hash(password, cost);
        }, true, null);
    }

    /** Checks a password of a known client, such as a signed-in user's re-authentication. */
    public Uni<Boolean> verify(String password, String hash) {
        return verify(password, hash, true);
    }

    /**
     * Checks a password; with a null hash (unknown account) it spends the same time and answers false. A known client
     * (see {@link KnownClients}) waits in the first lane.
     */
    public Uni<Boolean> verify(String password, String hash, boolean knownClient) {
        return onPool(check(password, hash), knownClient, null);
    }

    private Callable<Boolean> check(String password, String hash) {
        boolean accepted = hash != null && acceptable(hash);
        return () -> {
            // A missing hash, or one outside the accepted costs, costs the dummy's time and never matches.
            (accepted ? storedChecks : dummyChecks).increment();
            boolean matches = Argon2id.matches(password, accepted ? hash : dummyHash, cost);
            return accepted && matches;
        };
    }

    /**
     * Takes a place in this client's lane for a check to come, or refuses at once (503) when the lane is full: a
     * login takes it before its body is parsed ({@code login/LoginAdmission}), so that a flood is shed for the price
     * of its headers, and a login that passes is sure of its place.
     */
    public Place admit(boolean knownClient) {
        if (!pool.reserve(knownClient)) {
            throw busy();
        }
        return new Place(knownClient);
    }

    /** A place taken in a hashing lane: used by one {@link #verify}, or given back by {@link #release}. */
    public final class Place {
        private final boolean knownClient;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Place(boolean knownClient) {
            this.knownClient = knownClient;
        }

        /** {@link PasswordHasher#verify(String, String, boolean)}, in this place. */
        public Uni<Boolean> verify(String password, String hash) {
            return onPool(check(password, hash), knownClient, this);
        }

        /** Gives the place back if no check took it; nothing once one has. */
        public void release() {
            if (take()) {
                pool.unreserve(knownClient);
            }
        }

        /** Claims the place for its check (or its release): true only the first time. */
        boolean take() {
            return held.compareAndSet(true, false);
        }
    }

    /** How many password checks hashed against a stored hash, and how many against the dummy. */
    public long[] checksSoFar() {
        return new long[] { storedChecks.sum(), dummyChecks.sum() };
    }

    /** Whether a stored hash's cost is within the accepted range, so that verifying it costs what we allow. */
    private boolean acceptable(String hash) {
        return Argon2id.costOf(hash).map(stored -> stored.memoryKib() <= acceptedMaxMemoryKib
                && stored.iterations() <= acceptedMaxIterations && stored.parallelism() <= cost.parallelism() * 4)
                .orElse(false);
    }

    /** True when a hash was made with other parameters than the configured ones. */
    public boolean needsRehash(String hash) {
        return !hash.startsWith(cost.prefix());
    }

    private static ProblemException busy() {
        return new ProblemException(Problem.of(ProblemType.SERVICE_UNAVAILABLE,
                "More logins arrive than the service can check in time; try again in a moment."), BUSY_RETRY);
    }

    private <T> Uni<T> onPool(Callable<T> work, boolean knownClient, Place place) {
        return Uni.createFrom().emitter(emitter -> {
            // The answer goes back to the caller's Vert.x context, where the reactive session goes on.
            Context context = Vertx.currentContext();
            try {
                pool.execute(() -> {
                    try {
                        T result = work.call();
                        resume(context, () -> emitter.complete(result));
                    } catch (Throwable failure) {
                        resume(context, () -> emitter.fail(failure));
                    }
                }, knownClient, place != null && place.take());
            } catch (RejectedExecutionException full) {
                emitter.fail(busy());
            }
        });
    }

    private static void resume(Context context, Runnable step) {
        if (context == null) {
            step.run();
        } else {
            context.runOnContext(ignored -> step.run());
        }
    }
}
