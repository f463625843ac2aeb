package io.accountsecurity.token;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.accountsecurity.common.ProblemException;
import io.accountsecurity.common.ProblemType;
import jakarta.enterprise.context.RequestScoped;

/**
 * The verified token of the current request, set by {@link TokenKindFilter} once it has resolved the identity without
 * blocking the event loop.
 */
@RequestScoped
public class CurrentToken {

    private JsonWebToken jwt;

    void set(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public JsonWebToken get() {
        if (jwt == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "A valid bearer token is required.");
        }
        return jwt;
    }
}
