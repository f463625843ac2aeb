package io.accountsecurity.events;

import java.time.Clock;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** Records security events; call it inside the transaction of the action it records. */
@Singleton
public class SecurityEvents {

    private final Clock clock;

    public SecurityEvents(Clock clock) {
        this.clock = clock;
    }

    public Uni<Void> record(EventType type, UUID userId, UUID communityId, String clientAddress, String detail) {
        SecurityEvent event = new SecurityEvent();
        event.id = UUID.randomUUID();
        event.userId = userId;
        event.communityId = communityId;
        event.type = type.name();
        event.at = clock.instant();
        event.clientAddress = clientAddress;
        event.detail = detail;
        return event.persist().replaceWithVoid();
    }
}
