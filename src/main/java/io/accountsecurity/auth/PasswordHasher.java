package io.accountsecurity.auth;

import io.accountsecurity.config.SecurityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Argon2id password hashes ({@link Argon2id}: PHC strings that carry their parameters), computed on a worker pool of
 * its own, one thread per core by default: hashing never runs on the event loop, and the pool bounds the memory that
 * hashes hold.
 */
@Singleton
public class PasswordHasher {

    private final Argon2id.Cost cost;
    private final String dummyHash;
    private final WorkerExecutor pool;

    public PasswordHasher(SecurityConfig config, Vertx vertx) {
        SecurityConfig.PasswordHash configured = config.passwordHash();
        this.cost = new Argon2id.Cost(configured.memoryKib(), configured.iterations(), configured.parallelism());
        int threads = configured.maxConcurrent() > 0 ? configured.maxConcurrent()
                : Runtime.getRuntime().availableProcessors();
        this.pool = vertx.createSharedWorkerExecutor("password-hash", threads);
        // Unknown usernames are checked against this, so that they cost the same time as known ones; no hash is made
        // for it at start-up.
        this.dummyHash = Argon2id.unmatchable(cost);
    }

    @PreDestroy
    void close() {
        pool.close();
    }

    public Uni<String> hash(String password) {
        return onPool(() -> Argon2id.hash(password, cost));
    }

    /** Checks a password; with a null hash (unknown account) it spends the same time and answers false. */
    public Uni<Boolean> verify(String password, String hash) {
        return onPool(() -> {
            boolean matches = Argon2id.matches(password, hash != null ? hash : dummyHash, cost);
            return hash != null && matches;
        });
    }

    /** True when a hash was made with other parameters than the configured ones. */
    public boolean needsRehash(String hash) {
        return !hash.startsWith(cost.prefix());
    }

    private <T> Uni<T> onPool(java.util.concurrent.Callable<T> work) {
        // The future completes on the caller's Vert.x context, where the reactive session goes on.
        return Uni.createFrom().completionStage(() -> pool.executeBlocking(work, false).toCompletionStage());
    }
}
