package io.accountsecurity.password;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The PHC codec and the hash itself, against hashes made by another implementation (password4j 1.8.4). */
class Argon2idTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String UNICODE_PASSWORD = "pässwörd ☃ 🔐";

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
    void refusesCostsOutsideArgon2sLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(7, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(15, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(1024, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(1024, 1, 0));
        // At most 64 MiB: a stored hash cannot make a login allocate more.
        assertThrows(IllegalArgumentException.class, () -> new Argon2id.Cost(65537, 1, 1));
        assertEquals("$argon2id$v=19$m=65536,t=1,p=1$", new Argon2id.Cost(65536, 1, 1).prefix());
    }
}
