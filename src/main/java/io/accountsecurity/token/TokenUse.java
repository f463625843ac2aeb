package io.accountsecurity.token;

import java.util.Locale;

/**
 * The kind of a token, carried in its {@code token_use} claim and, so that other services need not know that claim, in
 * its header's {@code typ} and its audience (RFC 8725 section 3.11-3.12): only access tokens have {@code typ: at+jwt}
 * (RFC 9068) and the access tokens' audience; the other kinds are addressed to this service alone.
 */
public enum TokenUse {
    /** After a correct password when 2FA is on; only for the second step. */
    MFA("mfa-pending", "mfa+jwt"),
    /** After a correct password when 2FA is off but required by a community; only for enrollment and /me. */
    ENROLLMENT("mfa-enrollment", "enrollment+jwt"),
    /** After the last factor the account needs. */
    ACCESS("user", "at+jwt");

    private final String group;
    private final String type;

    TokenUse(String group, String type) {
        this.group = group;
        this.type = type;
    }

    /** The header's {@code typ}. */
    public String type() {
        return type;
    }

    /** True for the kind that other services accept, addressed to the configured audience. */
    public boolean forOtherServices() {
        return this == ACCESS;
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
