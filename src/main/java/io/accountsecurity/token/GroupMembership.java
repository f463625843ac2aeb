package io.accountsecurity.token;

import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * Confirms against the accounts' table that a token's account still holds a privileged group, so that a demoted or
 * removed administrator's tokens stop working at once. Implemented where the accounts live.
 */
public interface GroupMembership {

    enum Standing {
        /** The account holds the group and the token's version is current. */
        HOLDS,
        /** The account exists and the token is current, but the group is no longer held. */
        NOT_HELD,
        /** The account is gone, or its tokens were revoked since this one was issued. */
        REVOKED
    }

    Uni<Standing> check(UUID userId, int tokenVersion, String group);
}
