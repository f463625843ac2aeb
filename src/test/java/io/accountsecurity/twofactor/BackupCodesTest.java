package io.accountsecurity.twofactor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackupCodesTest {

    @Test
    void tenReadableCodesOfAtLeast64Bits() {
        List<String> codes = BackupCodes.generate();
        assertEquals(10, codes.size());
        assertEquals(10, new HashSet<>(codes).size());
        for (String code : codes) {
            assertTrue(code.matches("[23456789A-HJ-NP-Z]{4}(-[23456789A-HJ-NP-Z]{4}){3}"), code);
        }
        // 16 symbols of a 32-letter alphabet: 80 bits.
        double bits = 16 * (Math.log(BackupCodes.ALPHABET.length()) / Math.log(2));
        assertTrue(bits >= 64, "entropy " + bits);
        assertFalse(BackupCodes.ALPHABET.matches(".*[01IO].*"), "no look-alikes");
    }

    @Test
    void acceptedInAnyCaseWithOrWithoutSpacesAndHyphens() {
        String code = BackupCodes.generate().get(0);
        String canonical = code.replace("-", "");
        assertEquals(canonical, BackupCodes.normalize(code));
        assertEquals(canonical, BackupCodes.normalize(code.toLowerCase()));
        assertEquals(canonical, BackupCodes.normalize(code.replace("-", " ")));
        assertEquals(canonical, BackupCodes.normalize(canonical));
    }

    @Test
    void whatCannotBeACodeIsRefused() {
        assertNull(BackupCodes.normalize("ABCD-EFGH-JKLM"));
        assertNull(BackupCodes.normalize("ABCD-EFGH-JKLM-NPQ0"));
        assertNull(BackupCodes.normalize("ABCD-EFGH-JKLM-NPQRS"));
        assertNull(BackupCodes.normalize("ÀBCD-EFGH-JKLM-NPQR"));
        assertNull(BackupCodes.normalize(null));
    }
}
