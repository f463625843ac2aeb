package io.accountsecurity.password;

import static io.accountsecurity.support.Api.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.Database;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class PasswordHashTest {

    @Inject
    AgroalDataSource database;

    @Inject
    PasswordHasher hasher;

    @Test
    void passwordsAreStoredAsArgon2idWithTheirParameters() throws Exception {
        String id = createUser(unique("hash"));
        String hash = storedHash(id);
        assertTrue(hash.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), hash);
        assertFalse(hash.contains(PASSWORD));
    }

    @Test
    void aLoginWithAHashOfOlderParametersRehashesIt() throws Exception {
        String username = unique("rehash");
        String id = createUser(username);
        // Made by password4j 1.8.4, the library of earlier versions, at other parameters: still valid, then upgraded.
        String old = "$argon2id$v=19$m=512,t=2,p=1$06OTWdskBR76hK65l2wf9w$HtMlIUGKaPqsWey5PZ6cOIUwHNF1tMUjscnkVvA5RsU";
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement("update users set password_hash = ? where id = ?")) {
            s.setString(1, old);
            s.setObject(2, UUID.fromString(id));
            assertEquals(1, s.executeUpdate());
        }
        login(username, PASSWORD).then().statusCode(200);
        String upgraded = storedHash(id);
        assertNotEquals(old, upgraded);
        assertTrue(upgraded.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), upgraded);
        login(username, PASSWORD).then().statusCode(200);
    }

    @Test
    void anUnknownNameCostsOneDummyHashAndGetsTheWrongPasswordsAnswer() {
        String username = unique("timing");
        createUser(username);
        long[] before = hasher.checksSoFar();
        String wrongBody = login(username, "not the password").then().statusCode(401).extract().asString();
        long[] afterWrong = hasher.checksSoFar();
        String unknownBody = login(unique("ghost"), "not the password").then().statusCode(401).extract().asString();
        long[] afterUnknown = hasher.checksSoFar();
        assertEquals(wrongBody, unknownBody);
        // The wrong password is one hash against the stored one; the unknown name one against the dummy, same cost.
        assertArrayEquals(new long[] { before[0] + 1, before[1] }, afterWrong);
        assertArrayEquals(new long[] { afterWrong[0], afterWrong[1] + 1 }, afterUnknown);
    }

    private String storedHash(String id) throws Exception {
        return (String) Database.value(database, "select password_hash from users where id = ?", UUID.fromString(id));
    }
}
