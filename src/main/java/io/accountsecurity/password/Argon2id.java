package io.accountsecurity.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106, version 0x13) computed by Bouncy Castle's {@link Argon2BytesGenerator}, stored as the PHC
 * string format that the reference implementation and most libraries read:
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}, salt and hash in unpadded standard Base64.
 * The password is hashed as its UTF-8 bytes. This class only parses and formats; it computes nothing itself.
 *
 * <p>Hashes made by earlier versions (password4j, Bouncy Castle's generator, then a core of our own) have the same
 * format and bytes, and verify alike. The benchmark times exactly this class.
 */
public final class Argon2id {

    /** The cost of a hash. */
    public record Cost(int memoryKib, int iterations, int parallelism) {

        public Cost {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                    || memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("unsupported Argon2id cost m=" + memoryKib + ", t=" + iterations
                        + ", p=" + parallelism);
            }
        }

        /** The PHC prefix of every hash made at this cost, up to and including the {@code $} before the salt. */
        public String prefix() {
            return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$";
        }
    }

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    // Bounds for costs and stored hashes: above OWASP's largest recommendation (46 MiB), yet a corrupt row cannot
    // make a login allocate more than 64 MiB.
    private static final int MAX_MEMORY_KIB = 64 * 1024;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Each hashing thread's pool of Argon2 blocks, kept from one hash to the next so that a hash makes no garbage;
     * it holds at most the blocks of the cost it was made for (a larger, older cost gets the rest for one hash).
     */
    private static final ThreadLocal<KeptBlocks> KEPT = new ThreadLocal<>();

    private record KeptBlocks(int memoryKib, Argon2BytesGenerator.BlockPool pool) {
    }

    private Argon2id() {
    }

    /** A new hash of the password, with a random 16-byte salt. */
    public static String hash(String password, Cost cost) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return phc(cost, salt, compute(password, salt, cost, HASH_BYTES, cost.memoryKib()));
    }

    /**
     * A PHC string at this cost that no password matches in practice: a random salt and 32 random bytes in place of
     * a hash (a match would be a 256-bit collision). Checking a password against it costs one hash, as a real one
     * does, without making one first.
     */
    public static String unmatchable(Cost cost) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(hash);
        return phc(cost, salt, hash);
    }

    /**
     * Whether the password matches a stored PHC string (compared in constant time). A string that is not an Argon2id
     * hash of supported parameters never matches.
     */
    public static boolean matches(String password, String stored) {
        return matches(password, stored, null);
    }

    /**
     * {@link #matches(String, String)} for a service hashing at {@code current}: the calling thread keeps Argon2
     * memory up to that cost's for its next hashes, not more (a stored hash of a larger, older cost gets memory for
     * this check only).
     */
    public static boolean matches(String password, String stored, Cost current) {
        Optional<Parsed> parsed = parse(stored);
        if (parsed.isEmpty()) {
            return false;
        }
        Parsed p = parsed.get();
        byte[] actual = compute(password, p.salt(), p.cost(), p.hash().length,
                current == null ? 0 : current.memoryKib());
        return MessageDigest.isEqual(actual, p.hash());
    }

    /** The cost a stored hash was made at, or empty for anything that is not a well-formed hash of ours. */
    public static Optional<Cost> costOf(String stored) {
        return parse(stored).map(Parsed::cost);
    }

    private static String phc(Cost cost, byte[] salt, byte[] hash) {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return cost.prefix() + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    private record Parsed(Cost cost, byte[] salt, byte[] hash) {
    }

    private static Optional<Parsed> parse(String stored) {
        Matcher m = stored == null ? null : PHC.matcher(stored);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            Cost cost = new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            byte[] salt = Base64.getDecoder().decode(m.group(4));
            byte[] hash = Base64.getDecoder().decode(m.group(5));
            return salt.length >= 8 && hash.length >= 16 ? Optional.of(new Parsed(cost, salt, hash)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] compute(String password, byte[] salt, Cost cost, int length, int keepKib) {
        Argon2Parameters.Builder parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt);
        if (keepKib > 0) {
            parameters.withBlockPool(keptBlocks(keepKib));
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters.build());
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        byte[] tag = new byte[length];
        try {
            generator.generateBytes(bytes, tag);
            return tag;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Argon2BytesGenerator.BlockPool keptBlocks(int keepKib) {
        KeptBlocks kept = KEPT.get();
        if (kept == null || kept.memoryKib() != keepKib) {
            // One block is 1 KiB.
            kept = new KeptBlocks(keepKib, new Argon2BytesGenerator.FixedBlockPool(keepKib));
            KEPT.set(kept);
        }
        return kept.pool();
    }
}
