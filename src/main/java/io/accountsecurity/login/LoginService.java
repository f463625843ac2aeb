package io.accountsecurity.login;

import java.util.List;
import java.util.Locale;

import io.accountsecurity.account.Amr;
import io.accountsecurity.account.Caller;
import io.accountsecurity.account.CommunityRef;
import io.accountsecurity.account.Users;
import io.accountsecurity.config.SecurityConfig;
import io.accountsecurity.db.Db;
import io.accountsecurity.db.Outcome;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.password.PasswordCounters;
import io.accountsecurity.password.PasswordHasher;
import io.accountsecurity.platform.SecurityMetrics;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.session.Sessions;
import io.accountsecurity.token.TokenIssuer;
import io.accountsecurity.token.TokenUse;
import io.accountsecurity.twofactor.SecondFactor;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** The two login steps: the password, then (when 2FA is on) a TOTP code or a backup code. */
@Singleton
public class LoginService {

    private final LoginLookup lookup;
    private final PasswordHasher hasher;
    private final PasswordCounters counters;
    private final TokenIssuer tokens;
    private final SecondFactor secondFactor;
    private final SecurityEvents events;
    private final SecurityMetrics metrics;
    private final Sessions sessions;
    private final KnownClients knownClients;
    private final Users users;

    public LoginService(LoginLookup lookup, PasswordHasher hasher, PasswordCounters counters,
            TokenIssuer tokens, SecondFactor secondFactor, SecurityEvents events, SecurityMetrics metrics,
            SecurityConfig config, Sessions sessions, KnownClients knownClients, Users users) {
        this.users = users;
        this.sessions = sessions;
        this.knownClients = knownClients;
        this.lookup = lookup;
        this.hasher = hasher;
        this.counters = counters;
        this.tokens = tokens;
        this.secondFactor = secondFactor;
        this.events = events;
        this.metrics = metrics;
    }

    /** The first step, checked in the hashing lane's place that the login took ({@link LoginAdmission}). */
    public Uni<LoginResult> passwordStep(String username, String password, String clientAddress, String userAgent,
            PasswordHasher.Place place) {
        PasswordCounters.Keys keys = PasswordCounters.keys(username, clientAddress);
        return lookup.read(username, keys).flatMap(account -> {
            account.throttle().refuseIfBeyond(counters.limits());
            LoginLookup.Candidate user = account.candidate();
            return place.verify(password, user == null ? null : user.passwordHash())
                    .flatMap(valid -> valid ? succeed(account, password, keys, new Sessions.Client(clientAddress, userAgent))
                            : Db.transaction(() -> failPassword(user, keys, clientAddress))
                                    .map(Outcome::orThrow));
        }).onTermination().call((result, failure, cancelled) -> {
            place.release();
            return counters.release(keys);
        });
    }


    /** The second step: the code is checked and the session started in one transaction. */
    public Uni<LoginResult> secondStep(Caller caller, String code, String backupCode, String userAgent) {
        Sessions.Client client = new Sessions.Client(caller.clientAddress(), userAgent);
        return secondFactor.verify(caller, code, backupCode, verified -> sessions
                .start(verified.subject().id(), Amr.PASSWORD_AND_OTP, client)
                .map(session -> new SignedIn(verified.subject(), session, verified.backupCodesRemaining())))
                .map(signedIn -> signedIn.result(tokens, Amr.PASSWORD_AND_OTP));
    }

    /** Ends a login without a second factor: starts its session and answers its first tokens. */
    private Uni<LoginResult> signIn(TokenIssuer.Subject subject, List<String> amr, Sessions.Client client) {
        return Db.transaction(() -> sessions.start(subject.id(), amr, client))
                .map(session -> new SignedIn(subject, session, null).result(tokens, amr));
    }

    /** A login's session, started; its access token is signed once the transaction has committed. */
    private record SignedIn(TokenIssuer.Subject subject, Sessions.Started session, Integer backupCodesRemaining) {
        LoginResult result(TokenIssuer tokens, List<String> amr) {
            return LoginResult.authenticated(tokens.access(subject, amr, session.id(), session.authTime()), session,
                    backupCodesRemaining);
        }
    }

    private Uni<LoginResult> succeed(LoginLookup.Account account, String password, PasswordCounters.Keys keys,
            Sessions.Client client) {
        metrics.password(true);
        knownClients.remember(client.address());
        LoginLookup.Candidate user = account.candidate();
        Uni<Void> bookkeeping = Uni.createFrom().voidItem();
        if (account.throttle().anyFailures()) {
            bookkeeping = Db.transaction(() -> counters.reset(keys));
        }
        if (hasher.needsRehash(user.passwordHash())) {
            bookkeeping = bookkeeping.flatMap(v -> hasher.hash(password)).flatMap(newHash -> Db.transaction(
                    () -> users.replacePasswordHash(user.id(), user.passwordHash(), newHash)))
                    .replaceWithVoid();
        }
        var subject = user.subject();
        if (account.twoFactorEnabled()) {
            return bookkeeping.map(v -> {
                var mfa = tokens.issue(subject, TokenUse.MFA, Amr.PASSWORD_ONLY);
                return LoginResult.mfaRequired(mfa.token(), mfa.expiresIn());
            });
        }
        List<CommunityRef> requiredBy = account.requiredBy();
        return bookkeeping.flatMap(v -> {
            if (!requiredBy.isEmpty()) {
                var enrollment = tokens.issue(subject, TokenUse.ENROLLMENT, Amr.PASSWORD_ONLY);
                return Uni.createFrom().item(LoginResult.enrollmentRequired(enrollment.token(), enrollment.expiresIn(),
                        requiredBy));
            }
            return signIn(subject, Amr.PASSWORD_ONLY, client);
        });
    }

    private Uni<Outcome<LoginResult>> failPassword(LoginLookup.Candidate user, PasswordCounters.Keys keys,
            String clientAddress) {
        metrics.password(false);
        return counters.fail(keys).flatMap(lockout -> {
            Uni<Void> recorded = Uni.createFrom().voidItem();
            if (lockout != null) {
                metrics.lockout();
                if (user != null) {
                    recorded = events.record(EventType.LOCKED_OUT, user.id(), null, clientAddress,
                            "Password step locked for " + lockout.toSeconds() + " s after repeated wrong passwords");
                }
            }
            return recorded.replaceWith(Outcome.<LoginResult>refused(new ProblemException(
                    ProblemType.INVALID_CREDENTIALS, "The username or password is wrong.")));
        });
    }
}
