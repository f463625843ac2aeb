/**
 * Prints the current TOTP code of a base32 secret, as an authenticator app would, with the service's own classes:
 * run.sh enrolls the bootstrap administrator with it, since administration needs a login with the second factor.
 */
public class TotpCode {
    public static void main(String[] args) throws Exception {
        byte[] secret = org.jboss.aerogear.security.otp.api.Base32.decode(args[0]);
        System.out.println(io.accountsecurity.twofactor.Totp.codeAt(secret, System.currentTimeMillis() / 30_000));
    }
}
