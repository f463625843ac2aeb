package io.accountsecurity.password;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** The Argon2id core against RFC 9106's test vector and against Bouncy Castle's generator. */
class Argon2EngineTest {

    @Test
    void computesTheTestVectorOfRfc9106() {
        // RFC 9106 section 5.3: Argon2id, m=32 KiB, t=3, p=4, secret and associated data, 32-byte tag.
        byte[] tag = Argon2Engine.hash(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04), 32, 3,
                4, 32, 0);
        assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(tag));
    }

    @Test
    void agreesWithBouncyCastleOnRandomInputs() {
        Random random = new Random(9106);
        for (int i = 0; i < 150; i++) {
            int lanes = 1 + random.nextInt(4);
            int memoryKib = 8 * lanes + random.nextInt(400);
            int iterations = 1 + random.nextInt(4);
            int tagLength = 4 + random.nextInt(200);
            byte[] password = bytes(random, random.nextInt(64));
            byte[] salt = bytes(random, 8 + random.nextInt(24));
            byte[] secret = random.nextBoolean() ? null : bytes(random, 1 + random.nextInt(16));
            byte[] associated = random.nextBoolean() ? null : bytes(random, 1 + random.nextInt(16));
            String parameters = "m=" + memoryKib + " t=" + iterations + " p=" + lanes + " tag=" + tagLength;
            assertArrayEquals(bouncyCastle(password, salt, secret, associated, memoryKib, iterations, lanes, tagLength),
                    Argon2Engine.hash(password, salt, secret, associated, memoryKib, iterations, lanes, tagLength,
                            random.nextBoolean() ? 0 : 512),
                    parameters);
        }
    }

    @Test
    void aThreadsMemoryServesLargerAndSmallerCostsInTurn() {
        byte[] password = "correct horse battery staple".getBytes();
        byte[] salt = filled(16, 0x5a);
        // Kept up to 2 MiB: the 4 MiB hashes get memory of their own, the others reuse what the thread keeps.
        for (int memoryKib : new int[] { 2048, 4096, 64, 2048, 4096, 8, 1024 }) {
            assertArrayEquals(bouncyCastle(password, salt, null, null, memoryKib, 2, 1, 32),
                    Argon2Engine.hash(password, salt, null, null, memoryKib, 2, 1, 32, 2048), "m=" + memoryKib);
        }
    }

    private static byte[] bouncyCastle(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib,
            int iterations, int lanes, int tagLength) {
        Argon2Parameters.Builder parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt);
        if (secret != null) {
            parameters.withSecret(secret);
        }
        if (associated != null) {
            parameters.withAdditional(associated);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters.build());
        byte[] tag = new byte[tagLength];
        generator.generateBytes(password, tag);
        return tag;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
