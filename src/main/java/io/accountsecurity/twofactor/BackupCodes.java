package io.accountsecurity.twofactor;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Backup codes: 16 characters from a 32-letter alphabet without look-alikes (no 0, 1, I, O), 80 bits from
 * SecureRandom, shown in groups of four ("K7QM-3XPD-W9HF-T2RN"); typed in any case, with or without spaces or hyphens.
 */
public final class BackupCodes {

    public static final int COUNT = 10;
    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final int LENGTH = 16;
    private static final int GROUP = 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BackupCodes() {
    }

    public static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder code = new StringBuilder(LENGTH + LENGTH / GROUP);
            for (int c = 0; c < LENGTH; c++) {
                if (c > 0 && c % GROUP == 0) {
                    code.append('-');
                }
                code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /** The canonical form (16 upper-case letters of the alphabet), or null when the input cannot be a code. */
    public static String normalize(String input) {
        if (input == null || input.length() > 64) {
            return null;
        }
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            char upper = Character.toUpperCase(c);
            if (upper > 127 || ALPHABET.indexOf(upper) < 0) {
                return null;
            }
            code.append(upper);
        }
        return code.length() == LENGTH ? code.toString().toUpperCase(Locale.ROOT) : null;
    }
}
