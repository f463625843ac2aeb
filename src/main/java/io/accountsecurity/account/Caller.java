package io.accountsecurity.account;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.token.TokenUse;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

/** Who is calling, as a verified token says, and from where. */
public record Caller(UUID userId, String username, TokenUse use, Set<String> amr, int tokenVersion,
        UUID sessionId, String clientAddress) {

    /** {@code sessionId} is the access token's {@code sid}; tokens of the other kinds have none. */
    public static Caller of(JsonWebToken jwt, String clientAddress) {
        String sid = text(jwt.getClaim("sid"));
        return new Caller(UUID.fromString(jwt.getSubject()), jwt.getName(), TokenUse.fromClaim(text(jwt.getClaim("token_use"))),
                strings(jwt.getClaim("amr")), number(jwt.getClaim("tv")), sid == null ? null : UUID.fromString(sid),
                clientAddress);
    }

    // Custom claims come back as JSON-P values.
    private static String text(Object claim) {
        return claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
    }

    private static int number(Object claim) {
        return claim instanceof JsonNumber n ? n.intValue() : claim instanceof Number n ? n.intValue() : -1;
    }

    private static Set<String> strings(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(Caller::text).collect(Collectors.toUnmodifiableSet());
        }
        return Set.of();
    }

    /** The refusal of a token whose account is gone or whose tokens were revoked. */
    public static ProblemException revoked() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "This token is no longer valid; log in again.");
    }

    /** True when this token's login used the second factor. */
    public boolean usedSecondFactor() {
        return amr.contains(Amr.OTP);
    }
}
