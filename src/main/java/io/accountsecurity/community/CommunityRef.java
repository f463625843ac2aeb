package io.accountsecurity.community;

import java.util.UUID;

/** A community as other answers name it: {@code {"id", "name"}}. */
public record CommunityRef(UUID id, String name) {

    public static CommunityRef of(Community community) {
        return new CommunityRef(community.id, community.name);
    }
}
