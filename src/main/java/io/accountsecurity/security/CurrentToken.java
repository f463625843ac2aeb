package io.accountsecurity.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.accountsecurity.account.Caller;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import jakarta.enterprise.context.RequestScoped;

/**
 * The verified token of the current request, set by {@link TokenKindFilter} once it has resolved the identity without
 * blocking the event loop.
 */
@RequestScoped
public class CurrentToken {

    private JsonWebToken jwt;
    private String clientAddress;
    private Caller caller;

    void set(JsonWebToken jwt, String clientAddress) {
        this.jwt = jwt;
        this.clientAddress = clientAddress;
    }

    /** Who is calling, from where: what the services take instead of the raw token. */
    public Caller caller() {
        if (caller == null) {
            caller = Caller.of(get(), clientAddress);
        }
        return caller;
    }

    /** The client's address, as {@link io.accountsecurity.web.ClientAddresses} resolved it for this request. */
    public String clientAddress() {
        get();
        return clientAddress;
    }

    public JsonWebToken get() {
        if (jwt == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "A valid bearer token is required.");
        }
        return jwt;
    }
}
