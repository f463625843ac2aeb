package io.accountsecurity.twofactor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jboss.aerogear.security.otp.api.Base32;

import io.accountsecurity.account.Amr;
import io.accountsecurity.account.Caller;
import io.accountsecurity.account.Communities;
import io.accountsecurity.account.User;
import io.accountsecurity.account.Users;
import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.db.Db;
import io.accountsecurity.db.Outcome;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.password.Reauthentication;
import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.session.Sessions;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** Enrollment with a QR code, its confirmation, backup-code regeneration and disabling, for one's own account. */
@Singleton
public class TwoFactorService {

    private static final int SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation

    /** A started enrollment: what the authenticator app needs. */
    public record Enrollment(String secret, String otpauthUri, byte[] qrPng, Instant expiresAt) {
    }

    /** A confirmed enrollment: the account, its first backup codes and the session it starts. */
    public record Confirmed(User user, List<String> backupCodes, Sessions.Started session) {
    }

    private record Started(User user, byte[] secret, Instant expiresAt) {
    }

    public record GeneratedCodes(List<String> codes, Instant generatedAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final ServerSecrets secrets;
    private final QrCodes qrCodes;
    private final Reauthentication reauthentication;
    private final Factors factors;
    private final SecondFactor secondFactor;
    private final SecurityEvents events;
    private final SecurityConfig config;
    private final Sessions sessions;
    private final Users users;
    private final Communities communities;

    public TwoFactorService(Clock clock, ServerSecrets secrets, QrCodes qrCodes, Reauthentication reauthentication,
            Factors factors, SecondFactor secondFactor, SecurityEvents events,
            SecurityConfig config, Sessions sessions, Users users, Communities communities) {
        this.communities = communities;
        this.users = users;
        this.clock = clock;
        this.sessions = sessions;
        this.secrets = secrets;
        this.qrCodes = qrCodes;
        this.reauthentication = reauthentication;
        this.factors = factors;
        this.secondFactor = secondFactor;
        this.events = events;
        this.config = config;
    }

    public Uni<Enrollment> startEnrollment(Caller caller, String password) {
        return reauthentication.confirm(caller, password)
                .flatMap(user -> Db.transaction(() -> factors.lock(user.id).flatMap(existing -> {
                    if (existing != null && existing.enabled()) {
                        throw alreadyEnabled();
                    }
                    byte[] secret = new byte[SECRET_BYTES];
                    random.nextBytes(secret);
                    Instant expiresAt = clock.instant().plus(config.totp().enrollmentLifetime());
                    TotpCredential pending = existing != null ? existing : new TotpCredential();
                    pending.userId = user.id;
                    pending.secretCiphertext = secrets.encrypt(user.id, secret);
                    pending.keyId = secrets.currentKeyId();
                    pending.pendingExpiresAt = expiresAt;
                    pending.enabledAt = null;
                    pending.lastUsedStep = -1;
                    Uni<Void> saved = existing != null ? Uni.createFrom().voidItem() : factors.add(pending);
                    return saved.replaceWith(new Started(user, secret, expiresAt));
                })))
                .flatMap(started -> {
                    String secret = Base32.encode(started.secret());
                    String uri = otpauthUri(started.user().username, secret);
                    return qrCodes.png(uri).map(png -> new Enrollment(secret, uri, png, started.expiresAt()));
                });
    }

    public Uni<byte[]> pendingQrCode(Caller caller) {
        return Db.session(() -> users.standing(caller).flatMap(user -> factors.find(user.id).map(credential -> {
            requirePending(credential);
            String secret = Base32.encode(
                    secrets.decrypt(user.id, credential.secretCiphertext, credential.keyId).secret());
            return otpauthUri(user.username, secret);
        }))).flatMap(qrCodes::png);
    }

    /**
     * Turns 2FA on with a code from the app, checked as the login's second step checks one. The login ends here: a
     * new session starts, with amr [pwd, otp], and every other session of the user ends but the caller's (when it has
     * one: an enrollment token has none).
     */
    public Uni<Confirmed> confirm(Caller caller, String code, String userAgent) {
        return Db.transaction(() -> users.standing(caller).flatMap(user -> factors.lock(user.id)
                .flatMap(credential -> {
                    if (credential != null && credential.enabled()) {
                        throw alreadyEnabled();
                    }
                    requirePending(credential);
                    return secondFactor.check(user.id, caller.clientAddress(), () -> {
                        long step = secondFactor.match(user.id, credential.secretCiphertext, credential.keyId, code)
                                .step();
                        if (step < 0) {
                            return Uni.createFrom().item(false);
                        }
                        credential.enabledAt = clock.instant();
                        credential.pendingExpiresAt = null;
                        credential.lastUsedStep = step;
                        return Uni.createFrom().item(true);
                    }, () -> replaceBackupCodes(user.id)
                            .call(codes -> events.record(EventType.TWO_FACTOR_ENABLED, user.id, null,
                                    caller.clientAddress(), "Two-factor authentication enabled"))
                            .call(codes -> sessions.endAll(user.id, caller.sessionId(),
                                    "two-factor authentication enabled", caller.clientAddress()))
                            .flatMap(codes -> sessions.start(user.id, Amr.PASSWORD_AND_OTP,
                                    new Sessions.Client(caller.clientAddress(), userAgent))
                                    .map(session -> new Confirmed(user, codes.codes(), session))));
                })))
                .map(Outcome::orThrow);
    }

    public Uni<GeneratedCodes> regenerateBackupCodes(Caller caller, String password) {
        return reauthentication.confirm(caller, password)
                .flatMap(user -> Db.transaction(() -> lockEnabled(user.id)
                        .flatMap(credential -> replaceBackupCodes(user.id))
                        .call(codes -> events.record(EventType.BACKUP_CODES_REGENERATED, user.id, null,
                                caller.clientAddress(), "New backup codes generated; earlier ones revoked"))));
    }

    /** The user's TOTP row, locked for the rest of the transaction; 409 two-factor-not-enabled without 2FA. */
    private Uni<TotpCredential> lockEnabled(UUID userId) {
        return factors.lock(userId).map(credential -> {
            if (credential == null || !credential.enabled()) {
                throw notEnabled();
            }
            return credential;
        });
    }

    public Uni<Void> disable(Caller caller, String password) {
        return reauthentication.confirm(caller, password)
                .flatMap(user -> Db.transaction(() -> lockEnabled(user.id)
                        .flatMap(credential -> communities.requiringTwoFactor(user.id))
                        .flatMap(requiredBy -> {
                            if (!requiredBy.isEmpty()) {
                                throw new ProblemException(Problem.of(ProblemType.TWO_FACTOR_ENFORCED,
                                        "A community you belong to requires two-factor authentication.")
                                        .with("required_by", requiredBy), null);
                            }
                            return factors.removeAll(user.id).call(() -> events.record(EventType.TWO_FACTOR_DISABLED,
                                    user.id, null, caller.clientAddress(), "Two-factor authentication disabled"))
                                    .call(() -> sessions.endAll(user.id, caller.sessionId(),
                                            "two-factor authentication disabled", caller.clientAddress()))
                                    .replaceWithVoid();
                        })));
    }

    private Uni<GeneratedCodes> replaceBackupCodes(UUID userId) {
        Instant now = clock.instant();
        List<String> codes = BackupCodes.generate();
        List<BackupCode> rows = new ArrayList<>(codes.size());
        for (String code : codes) {
            BackupCode row = new BackupCode();
            row.userId = userId;
            row.codeHash = secrets.backupCodeHash(userId, BackupCodes.normalize(code));
            row.keyId = secrets.currentKeyId();
            row.generatedAt = now;
            rows.add(row);
        }
        return factors.replaceBackupCodes(userId, rows).replaceWith(new GeneratedCodes(codes, now));
    }

    private String otpauthUri(String username, String base32Secret) {
        String issuer = config.totp().issuer();
        String label = encode(issuer) + ":" + encode(username);
        return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.PERIOD_SECONDS;
    }

    private void requirePending(TotpCredential credential) {
        if (credential == null || credential.enabled() || credential.pendingExpiresAt == null
                || !credential.pendingExpiresAt.isAfter(clock.instant())) {
            throw new ProblemException(ProblemType.NO_PENDING_ENROLLMENT,
                    "No enrollment is pending (none was started, or it expired after 10 minutes).");
        }
    }

    private static ProblemException alreadyEnabled() {
        return new ProblemException(ProblemType.TWO_FACTOR_ALREADY_ENABLED,
                "Two-factor authentication is already enabled on this account.");
    }

    private static ProblemException notEnabled() {
        return new ProblemException(ProblemType.TWO_FACTOR_NOT_ENABLED,
                "Two-factor authentication is not enabled on this account.");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
