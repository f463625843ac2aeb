package io.accountsecurity.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import io.accountsecurity.config.SecurityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Argon2id password hashes (PHC strings that carry their parameters), computed on a worker pool of its own, one
 * thread per core by default: hashing never runs on the event loop, and the pool bounds the memory that hashes hold.
 */
@Singleton
public class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Function function;
    private final String parameters;
    private final String dummyHash;
    private final WorkerExecutor pool;

    public PasswordHasher(SecurityConfig config, Vertx vertx) {
        SecurityConfig.PasswordHash cost = config.passwordHash();
        this.function = Argon2Function.getInstance(cost.memoryKib(), cost.iterations(), cost.parallelism(),
                HASH_BYTES, Argon2.ID, 19);
        this.parameters = "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p="
                + cost.parallelism() + "$";
        int threads = cost.maxConcurrent() > 0 ? cost.maxConcurrent() : Runtime.getRuntime().availableProcessors();
        this.pool = vertx.createSharedWorkerExecutor("password-hash", threads);
        // Unknown usernames are checked against this, so that they cost the same time as known ones.
        this.dummyHash = hashNow("dummy password for unknown accounts");
    }

    @PreDestroy
    void close() {
        pool.close();
    }

    public Uni<String> hash(String password) {
        return onPool(() -> hashNow(password));
    }

    /** Checks a password; with a null hash (unknown account) it spends the same time and answers false. */
    public Uni<Boolean> verify(String password, String hash) {
        return onPool(() -> {
            boolean matches = Password.check(password, hash != null ? hash : dummyHash)
                    .with(Argon2Function.getInstanceFromHash(hash != null ? hash : dummyHash));
            return hash != null && matches;
        });
    }

    /** True when a hash was made with other parameters than the configured ones. */
    public boolean needsRehash(String hash) {
        return !hash.startsWith(parameters);
    }

    private String hashNow(String password) {
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(function).getResult();
    }

    private <T> Uni<T> onPool(java.util.concurrent.Callable<T> work) {
        // The future completes on the caller's Vert.x context, where the reactive session goes on.
        return Uni.createFrom().completionStage(() -> pool.executeBlocking(work, false).toCompletionStage());
    }
}
