package io.accountsecurity.password;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/**
 * The PHC codec and the hash, against RFC 9106 and against hashes that each earlier version of the service stored
 * (password4j 1.8.4, Bouncy Castle's generator 1.84, then a core of our own), at the costs that were defaults.
 */
class Argon2idTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String UNICODE_PASSWORD = "pässwörd ☃ 🔐";
    private static final String LATER_PASSWORD = "pässwörd ☃ 🔐 correct horse";

    @Test
    void theLibraryComputesTheTestVectorOfRfc9106() {
        // RFC 9106 section 5.3: Argon2id, m=32 KiB, t=3, p=4, secret and associated data, 32-byte tag.
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(32)
                .withIterations(3)
                .withParallelism(4)
                .withSalt(filled(16, 0x02))
                .withSecret(filled(8, 0x03))
                .withAdditional(filled(12, 0x04))
                .withBlockPool(new Argon2BytesGenerator.FixedBlockPool(32))
                .build());
        byte[] tag = new byte[32];
        generator.generateBytes(filled(32, 0x01), tag);
        assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(tag));
    }

    @Test
    void verifiesHashesStoredByBouncyCastlesGeneratorAndByOurFormerCore() {
        // Made with the Argon2id class of commit daf7738 (Bouncy Castle 1.84's generator), at the first default
        // cost (19 MiB, t=2), the current one (7 MiB, t=5) and the tests' one.
        String[] bouncyCastle184 = {
                "$argon2id$v=19$m=19456,t=2,p=1$0FdCvH6L2fdZfC1dc+sVtA$DvhgXbJ2jV+zTSYBWtzGNDHACb0kaQPalnFto7teJN0",
                "$argon2id$v=19$m=7168,t=5,p=1$WUzc9nwuw/0xRaRVxZVAjg$ywEyW89ezs0EpSwB4pRiMcQR9sJ51EtE1v6iQZzN5G0",
                "$argon2id$v=19$m=1024,t=1,p=1$6JJkwjoaRZmZcllihiEIvw$OR8LRK4V0IG4ainhpDgzVNk75srsNVLpzQAHVrlCvmo" };
        // Made with the hand-written Argon2 core that this library replaced (commit 45ac114), same costs.
        String[] formerCore = {
                "$argon2id$v=19$m=19456,t=2,p=1$mCwqrWD+PpUYe90cfOQtkQ$MSGDK/2tEfH4Or84mxBAT/5rNmW/3Hc/OzhgfQRQMs8",
                "$argon2id$v=19$m=7168,t=5,p=1$ZSYjzNGhUXjEQmBNJpZUAg$lcDQsIMcg2BSf49I/BN4yzJqK2PP2K3U41yHK0CwNcQ",
                "$argon2id$v=19$m=1024,t=1,p=1$/89ywdjpb8nbIY95bj25hw$CzVemcReckTmOJeaMxDRHrF7uN8t0fUF5hs+1NyXvAs" };
        Argon2id.Cost current = new Argon2id.Cost(7168, 5, 1);
        for (String[] stored : new String[][] { bouncyCastle184, formerCore }) {
            for (String hash : stored) {
                assertTrue(Argon2id.matches(LATER_PASSWORD, hash), hash);
                // Also on a thread that keeps the blocks of the current cost, as the hashing pool's threads do.
                assertTrue(Argon2id.matches(LATER_PASSWORD, hash, current), hash);
                assertFalse(Argon2id.matches(PASSWORD, hash, current), hash);
            }
        }
    }

    @Test
    void verifiesHashesMadeByAnotherImplementation() {
        assertTrue(Argon2id.matches(PASSWORD,
                "$argon2id$v=19$m=64,t=2,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw"));
        assertTrue(Argon2id.matches(PASSWORD,
                "$argon2id$v=19$m=256,t=1,p=2$y3lJJzS9jv3h8Iea+8bbBw$iQ4E+AN8G057HTQwhJtOFcFOjKKvKpaHAQpgQTaHZYs"));
        assertTrue(Argon2id.matches(UNICODE_PASSWORD,
                "$argon2id$v=19$m=64,t=2,p=1$L2NXy0Mzir7SyZ5mI/oRkA$hh5yeMROiGYOWf0KET+3hEp2nh1mWJ3wBnQ6aebQs8U"));
        assertTrue(Argon2id.matches(UNICODE_PASSWORD,
                "$argon2id$v=19$m=256,t=1,p=2$6RmeWCKkp9rcgKVonY1vCw$F6uk1lde7KjKNI0tHi0BnQWPhHKPR/DscW2RVxdp6o8"));
    }

    @Test
    void refusesOtherPasswordsAndAlteredHashes() {
        String stored = "$argon2id$v=19$m=64,t=2,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw";
        assertFalse(Argon2id.matches(PASSWORD + " ", stored));
        assertFalse(Argon2id.matches("", stored));
        assertFalse(Argon2id.matches(PASSWORD, stored.replace("t=2", "t=3")));
        assertFalse(Argon2id.matches(PASSWORD, stored.replace("$Ivqq", "$Jvqq")));
    }

    @Test
    void newHashesCarryTheirCostAndARandomSalt() {
        Argon2id.Cost cost = new Argon2id.Cost(128, 3, 2);
        String first = Argon2id.hash(PASSWORD, cost);
        String second = Argon2id.hash(PASSWORD, cost);
        assertTrue(first.startsWith("$argon2id$v=19$m=128,t=3,p=2$"), first);
        assertNotEquals(first, second);
        assertTrue(Argon2id.matches(PASSWORD, first));
        assertTrue(Argon2id.matches(PASSWORD, second));
        assertFalse(Argon2id.matches("correct horse battery", first));
        String[] fields = first.split("\\$");
        assertEquals(22, fields[4].length(), "16-byte salt, unpadded Base64");
        assertEquals(43, fields[5].length(), "32-byte hash, unpadded Base64");
    }

    @Test
    void storedValuesThatAreNotSupportedArgon2idHashesNeverMatch() {
        for (String stored : new String[] { null, "", "plain text", "$argon2i$v=19$m=64,t=2,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw",
                "$argon2id$v=16$m=64,t=2,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw",
                "$argon2id$v=19$m=9999999,t=2,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw",
                "$argon2id$v=19$m=65537,t=2,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw",
                "$argon2id$v=19$m=4,t=2,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw",
                "$argon2id$v=19$m=64,t=0,p=1$RKnq/yBNBng37Wv+mIBqgA$Ivqq0g7uiFtmG8cQ8oYZy573D+GpqUt/GBA1xthYtVw",
                "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy" }) {
            assertFalse(Argon2id.matches(PASSWORD, stored), String.valueOf(stored));
        }
    }

    @Test
    void anUnmatchableHashHasTheCostsFormAndMatchesNothing() {
        Argon2id.Cost cost = new Argon2id.Cost(64, 2, 1);
        String dummy = Argon2id.unmatchable(cost);
        assertTrue(dummy.startsWith(cost.prefix()), dummy);
        assertNotEquals(dummy, Argon2id.unmatchable(cost));
        String[] fields = dummy.split("\\$");
        assertEquals(22, fields[4].length());
        assertEquals(43, fields[5].length());
        for (String password : new String[] { "", PASSWORD, "dummy password for unknown accounts" }) {
            assertFalse(Argon2id.matches(password, dummy));
        }
    }

    @Test
    void aThreadsKeptBlocksServeLargerAndSmallerCostsInTurn() {
        Argon2id.Cost kept = new Argon2id.Cost(2048, 2, 1);
        for (int memoryKib : new int[] { 2048, 4096, 64, 2048, 4096, 8, 1024 }) {
            String fresh = Argon2id.hash(PASSWORD, new Argon2id.Cost(memoryKib, 2, 1));
            assertTrue(Argon2id.matches(PASSWORD, fresh, kept), fresh);
            assertTrue(Argon2id.matches(PASSWORD, fresh), fresh);
            assertFalse(Argon2id.matches(UNICODE_PASSWORD, fresh, kept), fresh);
        }
    }

    @Test
    void refusesCostsOutsideArgon2sLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(7, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(15, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(1024, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(1024, 1, 0));
        // At most 64 MiB: a stored hash cannot make a login allocate more.
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(65537, 1, 1));
        assertEquals("$argon2id$v=19$m=65536,t=1,p=1$", new Argon2id.Cost(65536, 1, 1).prefix());
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
