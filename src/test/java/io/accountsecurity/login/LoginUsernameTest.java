package io.accountsecurity.login;

import static io.accountsecurity.support.Api.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.accountsecurity.support.Database;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The login takes only usernames of the rule of created ones, and refuses others before any work. */
@QuarkusTest
class LoginUsernameTest {

    @Inject
    AgroalDataSource database;

    @Test
    void usernamesOutsideTheRuleAreRefusedBeforeAnyWork() throws Exception {
        long counters = Database.number(database, "select count(*) from attempt_counters");
        for (String username : List.of("ab", "u".repeat(65), "with space", "émile", "semi;colon", "tab\tname",
                "", " admin")) {
            login(username, "wrong password").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/invalid-request"))
                    .body("errors.field", contains("username"))
                    .body("errors[0].message", containsString("3 to 64"));
        }
        // No failure was counted: nothing reached the throttle, and so neither the database nor the hasher.
        assertEquals(counters, Database.number(database, "select count(*) from attempt_counters"));
    }

    @Test
    void namesOfTheRuleStillLogIn() {
        String username = unique("a.b_c@d");
        createUser(username);
        login(username, PASSWORD).then().statusCode(200).body("status", equalTo("AUTHENTICATED"));
        login(unique("nobody"), "wrong password").then().statusCode(401)
                .body("type", equalTo("/problems/invalid-credentials"));
    }
}
