package io.accountsecurity.password;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void judgesTheSameAfterTheDictionariesWereTakenBack() {
        for (int round = 0; round < 2; round++) {
            assertDoesNotThrow(() -> policy.check("alice", "correct horse battery staple"));
            ProblemException common = assertThrows(ProblemException.class,
                    () -> policy.check("alice", "password1234"));
            assertEquals(ProblemType.WEAK_PASSWORD.uri(), common.problem().type());
            assertTrue(common.getMessage().contains("too easy to guess"), common.getMessage());
            // A dictionary word a few times over is refused only thanks to the dictionaries.
            assertThrows(ProblemException.class, () -> policy.check("alice", "monkeymonkeymonkey"));
            PasswordPolicy.releaseDictionaries();
        }
    }

    @Test
    void refusesTheUsernameAndTheLengthsOutsideTheRule() {
        assertThrows(ProblemException.class, () -> policy.check("Correct-Horse-Battery", "correct-horse-battery"));
        assertThrows(ProblemException.class, () -> policy.check("alice", "x7#Qm2!pL9"));
        assertThrows(ProblemException.class, () -> policy.check("alice", "y".repeat(257)));
    }
}
