import java.io.BufferedWriter;
import java.io.PrintStream;
import java.io.BufferedOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes a SQL script (for psql, on stdout) that seeds benchmark accounts, and a file of the accounts for the load
 * generator (username, id, TOTP secret in hex, 2FA flag).
 *
 * The users reuse the password hash of a TEMPLATE user that the service itself created through the admin API, so every
 * hash is made by the service at its configured cost without paying that cost once per account. The TOTP secrets are
 * encrypted exactly as io.accountsecurity.twofactor.ServerSecrets.encrypt does: key = HMAC-SHA256(master key,
 * "totp-secret-encryption"), AES-256-GCM, 12-byte random nonce, stored as nonce || ciphertext || tag, with the user's
 * UUID (16 big-endian bytes) as associated data. A change there must be mirrored here.
 *
 * Usage: java bench/Seed.java MASTER_KEY_B64 TEMPLATE_USERNAME N_2FA N_PLAIN ACCOUNTS_FILE > seed.sql
 */
public class Seed {
    public static void main(String[] args) throws Exception {
        byte[] master = Base64.getDecoder().decode(args[0].trim());
        String template = args[1];
        int twoFactor = Integer.parseInt(args[2]);
        int plain = Integer.parseInt(args[3]);
        Path accountsFile = Path.of(args[4]);
        if (!template.matches("^[A-Za-z0-9._@-]{3,64}$")) {
            throw new IllegalArgumentException("bad template username");
        }
        SecretKeySpec key = new SecretKeySpec(derive(master, "totp-secret-encryption"), "AES");
        SecureRandom random = new SecureRandom();
        HexFormat hex = HexFormat.of();

        PrintStream sql = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        sql.println("\\set ON_ERROR_STOP on");
        sql.println("begin;");
        sql.println("create temp table bench_seed (id uuid not null, username varchar(64) not null, "
                + "secret_ciphertext bytea) on commit drop;");
        sql.println("copy bench_seed (id, username, secret_ciphertext) from stdin;");
        try (BufferedWriter accounts = Files.newBufferedWriter(accountsFile)) {
            for (int i = 1; i <= twoFactor + plain; i++) {
                boolean enabled = i <= twoFactor;
                String username = enabled ? String.format("b2fa-%06d", i) : String.format("bpwd-%06d", i - twoFactor);
                UUID id = UUID.randomUUID();
                String cipherColumn = "\\N";
                String secretHex = "-";
                if (enabled) {
                    byte[] secret = new byte[20]; // 160 bits, as TwoFactorService makes them
                    random.nextBytes(secret);
                    secretHex = hex.formatHex(secret);
                    // COPY text format: a backslash must be doubled, so bytea hex is written \\x...
                    cipherColumn = "\\\\x" + hex.formatHex(encrypt(key, random, id, secret));
                }
                sql.append(id.toString()).append('\t').append(username).append('\t').append(cipherColumn).append('\n');
                accounts.write(username + "\t" + id + "\t" + secretHex + "\t" + (enabled ? 1 : 0) + "\n");
            }
        }
        sql.println("\\.");
        // Same password hash as the template user, made by the service at the configured cost.
        sql.println("insert into users (id, username, password_hash, platform_admin, token_version, created_at) "
                + "select s.id, s.username, t.password_hash, false, 0, now() from bench_seed s "
                + "cross join (select password_hash from users where lower(username) = lower('" + template + "')) t;");
        sql.println("do $$ begin if (select count(*) from users where username like 'b2fa-%' or username like 'bpwd-%') <> "
                + (twoFactor + plain) + " then raise exception 'seeding failed: template user missing?'; end if; end $$;");
        // Active TOTP credentials, as a confirmed enrollment leaves them.
        sql.println("insert into totp_credentials (user_id, secret_ciphertext, enabled_at, pending_expires_at, "
                + "last_used_step) select id, secret_ciphertext, now(), null, -1 from bench_seed "
                + "where secret_ciphertext is not null;");
        // Ten unused backup codes per 2FA account, as after a confirmation (random keyed-hash stand-ins: no code
        // matches them; they only give the backup-code count queries their real amount of rows).
        sql.println("insert into backup_codes (user_id, code_hash, generated_at) select s.id, "
                + "sha256(convert_to(s.id::text || ':' || g, 'UTF8')), now() from bench_seed s, "
                + "generate_series(1, 10) g where s.secret_ciphertext is not null;");
        sql.println("commit;");
        sql.println("analyze;");
        sql.flush();
    }

    /** As ServerSecrets.encrypt: nonce || AES-256-GCM(ciphertext || 128-bit tag), AAD = owner UUID. */
    static byte[] encrypt(SecretKeySpec key, SecureRandom random, UUID owner, byte[] plaintext) throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(ByteBuffer.allocate(16).putLong(owner.getMostSignificantBits())
                .putLong(owner.getLeastSignificantBits()).array());
        byte[] sealed = cipher.doFinal(plaintext);
        return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
    }

    static byte[] derive(byte[] master, String purpose) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(master, "HmacSHA256"));
        return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
    }
}
