package io.accountsecurity.account;

import java.util.List;

/** The authentication methods (RFC 8176) that tokens name in their {@code amr} claim. */
public final class Amr {

    public static final String PASSWORD = "pwd";
    public static final String OTP = "otp";

    /** A login with the password alone. */
    public static final List<String> PASSWORD_ONLY = List.of(PASSWORD);
    /** A login that used the second factor too. */
    public static final List<String> PASSWORD_AND_OTP = List.of(PASSWORD, OTP);

    private Amr() {
    }
}
