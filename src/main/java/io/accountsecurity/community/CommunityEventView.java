package io.accountsecurity.community;

import java.time.Instant;
import java.util.UUID;

import io.accountsecurity.events.SecurityEvent;

/**
 * A security event as a community's writers see it: who, what and when, never where from. The personal view
 * ({@link io.accountsecurity.events.EventView}) keeps the client address for the user alone.
 */
public record CommunityEventView(UUID id, String type, Instant at, String detail, UserRef user) {

    public record UserRef(UUID id, String username) {
    }

    static CommunityEventView of(SecurityEvent event, UserRef user) {
        return new CommunityEventView(event.id, event.type, event.at, event.detail, user);
    }
}
