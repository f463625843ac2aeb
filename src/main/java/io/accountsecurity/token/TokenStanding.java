package io.accountsecurity.token;

import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * Whether an access token still stands: its session is live and its account's tokens were not revoked since, and, for
 * a privileged group, the account still holds it. Read from the database at each request by the token filter (except
 * where an endpoint's own statement checks the same), so an ended session or a demoted administrator stops at once.
 * Implemented where the sessions live.
 */
public interface TokenStanding {

    enum Standing {
        /** Live, and the group (if one was asked) is held. */
        STANDS,
        /** Live, but the group is no longer held. */
        GROUP_NOT_HELD,
        /** The session ended, the account is gone or its tokens were revoked. */
        REVOKED
    }

    /** {@code group} is empty when the endpoint needs none. */
    Uni<Standing> check(UUID userId, int tokenVersion, UUID sessionId, String group);
}
