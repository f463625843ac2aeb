package io.accountsecurity.token;

import java.util.Locale;

/** The kind of a token, carried in its {@code token_use} claim. */
public enum TokenUse {
    /** After a correct password when 2FA is on; only for the second step. */
    MFA("mfa-pending"),
    /** After a correct password when 2FA is off but required by a community; only for enrollment and /me. */
    ENROLLMENT("mfa-enrollment"),
    /** After the last factor the account needs. */
    ACCESS("user");

    private final String group;

    TokenUse(String group) {
        this.group = group;
    }

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String group() {
        return group;
    }

    public static TokenUse fromClaim(String claim) {
        for (TokenUse use : values()) {
            if (use.claim().equals(claim)) {
                return use;
            }
        }
        return null;
    }
}
