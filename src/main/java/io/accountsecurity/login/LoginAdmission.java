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
    private static final String PLACE = LoginAdmission.class.getName() + ".place";

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
        PasswordHasher.Place place;
        try {
            place = take(clientAddresses.of(ctx.request()));
        } catch (ProblemException busy) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, busy.retryAfterSeconds());
            ProblemReplies.sendAfterBody(ctx, busy.problem());
            return;
        }
        ctx.put(PLACE, place);
        ctx.addEndHandler(ended -> place.release());
        ctx.next();
    }

    /** The place that this login's exchange took; else one taken now (503 when the lane is full). */
    PasswordHasher.Place placeOf(RoutingContext ctx, String clientAddress) {
        PasswordHasher.Place place = ctx.get(PLACE);
        return place != null ? place : take(clientAddress);
    }

    private PasswordHasher.Place take(String clientAddress) {
        return hasher.admit(knownClients.known(clientAddress));
    }
}
