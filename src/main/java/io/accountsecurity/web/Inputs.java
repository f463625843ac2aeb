package io.accountsecurity.web;

/** Shared bounds and patterns of request fields. */
public final class Inputs {

    private Inputs() {
    }

    /** Letters, digits and . _ @ - ; 3 to 64 characters, ASCII only. */
    public static final String USERNAME = "^[A-Za-z0-9._@-]{3,64}$";
    /** What {@link #USERNAME} allows, in words. */
    public static final String USERNAME_RULE = "3 to 64 characters: letters, digits and . _ @ -";
    /** Any text without control characters (no NUL, no line breaks). */
    public static final String NO_CONTROL = "^[^\\p{Cntrl}]*$";
    public static final String ROLE = "^[A-Z][A-Z0-9_]{0,63}$";
    public static final int MAX_PASSWORD = 256;
    /** A bound on a new password's input; PasswordPolicy then applies the 12-256 characters after NFKC. */
    public static final int MAX_NEW_PASSWORD_INPUT = 1024;
    public static final int MAX_CODE = 64;
    public static final int MAX_NAME = 128;
}
