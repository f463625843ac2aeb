import java.security.SecureRandom;
import java.util.Arrays;

import io.accountsecurity.password.Argon2id;

/**
 * Single-thread time of one Argon2id password hash at the service's parameters, with the service's own code:
 * io.accountsecurity.password.Argon2id from the packaged application (Bouncy Castle's Argon2BytesGenerator underneath,
 * 32-byte output, 16-byte random salt, version 19, the thread's kept blocks), as PasswordHasher calls it.
 *
 * Usage: java -cp app.jar:bcprov.jar bench/HashTime.java MEMORY_KIB ITERATIONS PARALLELISM [RUNS]
 * Prints one line: "median_ms min_ms max_ms runs".
 */
public class HashTime {
    public static void main(String[] args) {
        Argon2id.Cost cost = new Argon2id.Cost(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 21;
        String password = "bench-password-" + new SecureRandom().nextInt();
        // Warm-up: let the JIT compile the Argon2 loops (about a second or 10 hashes, whichever comes last).
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < 10 || System.nanoTime() < warmUntil; i++) {
            Argon2id.hash(password, cost);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Argon2id.hash(password, cost);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(java.util.Locale.ROOT, "%.3f %.3f %.3f %d%n", ms[runs / 2], ms[0], ms[runs - 1], runs);
    }
}
