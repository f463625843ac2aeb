import java.security.SecureRandom;
import java.util.Arrays;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Single-thread time of one Argon2id password hash at the service's parameters, with the same library and the same
 * call as io.accountsecurity.auth.PasswordHasher (password4j, 32-byte output, 16-byte random salt, version 19).
 *
 * Usage: java -cp password4j.jar:slf4j-api.jar bench/HashTime.java MEMORY_KIB ITERATIONS PARALLELISM [RUNS]
 * Prints one line: "median_ms min_ms max_ms runs".
 */
public class HashTime {
    public static void main(String[] args) {
        int memory = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int parallelism = Integer.parseInt(args[2]);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 21;
        Argon2Function function = Argon2Function.getInstance(memory, iterations, parallelism, 32, Argon2.ID, 19);
        String password = "bench-password-" + new SecureRandom().nextInt();
        // Warm-up: let the JIT compile the Argon2 loops (about a second or 10 hashes, whichever comes last).
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < 10 || System.nanoTime() < warmUntil; i++) {
            Password.hash(password).addRandomSalt(16).with(function).getResult();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Password.hash(password).addRandomSalt(16).with(function).getResult();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(java.util.Locale.ROOT, "%.3f %.3f %.3f %d%n", ms[runs / 2], ms[0], ms[runs - 1], runs);
    }
}
