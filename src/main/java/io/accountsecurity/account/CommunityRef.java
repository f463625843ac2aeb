package io.accountsecurity.account;

import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** A community as other answers name it: {@code {"id", "name"}}. */
public record CommunityRef(UUID id, String name) {

    public static CommunityRef of(Community community) {
        return new CommunityRef(community.id, community.name);
    }

    /** From a row's {@code json_build_object('id', c.id, 'name', c.name, ...)}. */
    public static CommunityRef of(JsonObject json) {
        return new CommunityRef(UUID.fromString(json.getString("id")), json.getString("name"));
    }
}
