package io.accountsecurity.events;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** The owner of {@code security_events}: records them inside the transaction of the action they record. */
@Singleton
public class SecurityEvents {

    private final Clock clock;

    public SecurityEvents(Clock clock) {
        this.clock = clock;
    }

    /** The user's most recent events, newest first; inside a session. */
    public Uni<List<SecurityEvent>> latest(UUID userId, int limit) {
        return SecurityEvent.<SecurityEvent>find("userId = ?1 order by at desc", userId).page(0, limit).list();
    }

    /**
     * A community's events, newest first: its policy changes, and the events of {@code memberTypes} that its members
     * recorded outside any community; inside a session.
     */
    public Uni<List<SecurityEvent>> ofCommunity(UUID communityId, List<String> memberTypes, int limit) {
        return SecurityEvent.<SecurityEvent>find("(communityId = ?1 and type = ?2) or (communityId is null "
                + "and type in ?3 and userId in (select m.userId from Membership m where m.communityId = ?1)) "
                + "order by at desc", communityId, EventType.TWO_FACTOR_POLICY_CHANGED.name(), memberTypes)
                .page(0, limit).list();
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
