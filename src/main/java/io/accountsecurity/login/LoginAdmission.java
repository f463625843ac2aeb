package io.accountsecurity.login;

import io.accountsecurity.password.PasswordHasher;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.web.ClientAddresses;
import io.accountsecurity.web.ProblemReplies;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * A login's place in its client's hashing lane ({@link PasswordHasher#admit}), taken as soon as the request's headers
 * arrive, before its body is parsed or validated: under a flood of logins the excess is refused (503, Retry-After)
 * for the price of its headers, its body dropped unread. The place rides on the exchange to {@link LoginService},
 * and goes back when the exchange ends if no password check took it (a body refused as invalid, a client gone).
 */
@Singleton
public class LoginAdmission {

    /** The password step's path ({@link AuthResource#login}). */
    static final String PATH = "/api/v1/auth/login";
    private static final String ADMITTED = LoginAdmission.class.getName() + ".admitted";

    /** A login's client address, and its place in that client's lane. */
    record Admitted(String clientAddress, PasswordHasher.Place place) {
    }

    private final PasswordHasher hasher;
    private final KnownClients knownClients;
    private final ClientAddresses clientAddresses;

    public LoginAdmission(PasswordHasher hasher, KnownClients knownClients, ClientAddresses clientAddresses) {
        this.hasher = hasher;
        this.knownClients = knownClients;
        this.clientAddresses = clientAddresses;
    }

    void routes(@Observes Router router) {
        // After the body size checks (HttpFallbacks at -3, Quarkus' at -2), before the resources.
        router.post(PATH).order(-1).handler(this::admit);
    }

    private void admit(RoutingContext ctx) {
        Admitted admitted;
        try {
            admitted = admitNow(ctx);
        } catch (ProblemException busy) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, busy.retryAfterSeconds());
            ProblemReplies.sendAfterBody(ctx, busy.problem());
            return;
        }
        ctx.put(ADMITTED, admitted);
        ctx.addEndHandler(ended -> admitted.place().release());
        ctx.next();
    }

    /** What the route admitted for this exchange; else admitted now (503 when the lane is full). */
    Admitted admitted(RoutingContext ctx) {
        Admitted admitted = ctx.get(ADMITTED);
        return admitted != null ? admitted : admitNow(ctx);
    }

    private Admitted admitNow(RoutingContext ctx) {
        String clientAddress = clientAddresses.of(ctx.request());
        return new Admitted(clientAddress, hasher.admit(knownClients.known(clientAddress)));
    }
}
