package io.accountsecurity.web;

import java.util.List;
import java.util.UUID;

import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;

/** Path parameters that must be UUIDs: a malformed one is a 400 naming the parameter, not a 404 or a 500. */
public final class UuidParam {

    private UuidParam() {
    }

    public static UUID parse(String name, String raw) {
        try {
            if (raw != null && raw.length() == 36) {
                return UUID.fromString(raw);
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw new ProblemException(Problem.invalid("The path has an invalid parameter.",
                List.of(new Problem.FieldError(name, "must be a UUID"))), null);
    }
}
