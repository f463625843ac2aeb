package io.accountsecurity.password;

import java.lang.ref.SoftReference;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;

import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import jakarta.inject.Singleton;

/**
 * NIST SP 800-63B's rule for a new password, the one rule for every password a person or an administrator sets: 12
 * to 256 characters after NFKC normalisation, not the username, and not common or easily guessed, as zxcvbn (its
 * frequency lists of common passwords, names and words, and its pattern matching) estimates it. No composition rule.
 * CPU-bound (milliseconds): call it off the event loop, as {@link PasswordHasher#hashNew} does.
 */
@Singleton
public class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 256;
    /** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
    static final int MIN_SCORE = 3;
    /** zxcvbn's time grows steeply with length; beyond this many characters a password is long enough to judge. */
    static final int ESTIMATED_PREFIX = 64;

    /**
     * zxcvbn and its dictionaries (about 9 MiB of heap, tens of milliseconds to load), loaded at the first check and
     * held softly: passwords are set rarely, so under memory pressure the collector takes them back rather than let
     * a login flood run the heap into back-to-back full collections; the next check loads them again.
     */
    private static volatile SoftReference<Zxcvbn> estimator = new SoftReference<>(null);

    /** Refuses a password that breaks the rule with 400 weak-password, whose detail says what to do. */
    public void check(String username, String password) {
        String normalized = Normalizer.normalize(password, Normalizer.Form.NFKC);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < MIN_LENGTH) {
            throw weak("Use at least " + MIN_LENGTH + " characters: a few unrelated words make a long password that "
                    + "is easy to remember.");
        }
        if (length > MAX_LENGTH) {
            throw weak("Use at most " + MAX_LENGTH + " characters.");
        }
        String name = Normalizer.normalize(username, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (normalized.toLowerCase(Locale.ROOT).equals(name)) {
            throw weak("The password must not be the username.");
        }
        String judged = normalized.substring(0, normalized.offsetByCodePoints(0, Math.min(length, ESTIMATED_PREFIX)));
        Strength strength = estimator().measure(judged, List.of(username));
        if (strength.getScore() < MIN_SCORE) {
            throw weak(advice(strength.getFeedback()));
        }
    }

    private static Zxcvbn estimator() {
        Zxcvbn zxcvbn = estimator.get();
        if (zxcvbn == null) {
            synchronized (PasswordPolicy.class) {
                zxcvbn = estimator.get();
                if (zxcvbn == null) {
                    zxcvbn = new Zxcvbn();
                    estimator = new SoftReference<>(zxcvbn);
                }
            }
        }
        return zxcvbn;
    }

    /** Drops the dictionaries as the collector would under memory pressure (tests). */
    static void releaseDictionaries() {
        estimator.clear();
    }

    private static String advice(Feedback feedback) {
        StringBuilder detail = new StringBuilder("This password is too easy to guess.");
        String warning = feedback.getWarning();
        if (warning != null && !warning.isBlank()) {
            detail.append(' ').append(warning);
        }
        for (String suggestion : feedback.getSuggestions()) {
            detail.append(' ').append(suggestion);
        }
        if (feedback.getSuggestions().isEmpty()) {
            detail.append(" Add another word or two; uncommon words are better.");
        }
        return detail.toString();
    }

    private static ProblemException weak(String detail) {
        return new ProblemException(ProblemType.WEAK_PASSWORD, detail);
    }
}
