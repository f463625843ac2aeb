package io.accountsecurity.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;

/** A security event as its user sees it. */
public record EventView(UUID id, String type, Instant at, String clientAddress, String detail) {

    public static EventView of(SecurityEvent event) {
        return new EventView(event.id, event.type, event.at, event.clientAddress, event.detail);
    }

    /** The {@code limit} query parameter: 1 to 200, 50 when absent. */
    public static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= 200) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ProblemException(Problem.invalid("limit must be a whole number from 1 to 200.",
                List.of(new Problem.FieldError("limit", "must be a whole number from 1 to 200"))), null);
    }
}
