package io.accountsecurity.common;

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
    public static final int MIN_NEW_PASSWORD = 12;
    public static final int MAX_CODE = 64;
    public static final int MAX_NAME = 128;
}
