package io.accountsecurity.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.accountsecurity.db.Db;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * The administrators' audit trail: who changed what, when and from where. Each change is recorded in the transaction
 * that makes it, so a change and its record commit together; the trail is read newest first, a page at a time.
 */
@Singleton
public class AuditTrail {

    /** What administrators do, as the trail names it. */
    public enum Action {
        USER_CREATED, ROLES_CHANGED, MEMBERSHIP_REMOVED, TWO_FACTOR_RESET, USER_DEACTIVATED, USER_REACTIVATED,
        USER_DELETED, COMMUNITY_CREATED
    }

    /** The administrator who acts, and from where. */
    public record Actor(UUID id, String username, String clientAddress) {
    }

    public record ActorView(UUID id, String username) {
    }

    public record TargetView(String type, UUID id) {
    }

    public record EventView(UUID id, Instant at, String action, ActorView actor, TargetView target,
            String clientAddress, String detail) {
    }

    public record Page(List<EventView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    private final Clock clock;

    public AuditTrail(Clock clock) {
        this.clock = clock;
    }

    /** Records a change; call it inside the change's transaction. */
    public Uni<Void> record(Actor actor, Action action, String targetType, UUID targetId, String detail) {
        AuditEvent event = new AuditEvent();
        event.id = UUID.randomUUID();
        // PostgreSQL keeps microseconds: the cursor must compare equal to what is stored.
        event.at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        event.action = action.name();
        event.actorId = actor.id();
        event.actorUsername = actor.username();
        event.targetType = targetType;
        event.targetId = targetId;
        event.clientAddress = actor.clientAddress();
        event.detail = detail;
        return event.persist().replaceWithVoid();
    }

    /** A page of the trail, newest first, after the position that {@code cursor} names (the first page when null). */
    public Uni<Page> page(int limit, String cursor) {
        Cursor after = Cursor.decode(cursor);
        return Db.session(() -> read(limit, after));
    }

    private Uni<Page> read(int limit, Cursor after) {
        Uni<List<AuditEvent>> rows;
        if (after == null) {
            rows = AuditEvent.<AuditEvent>find("order by at desc, id desc").page(0, limit + 1).list();
        } else {
            rows = AuditEvent.<AuditEvent>find("at < ?1 or (at = ?1 and id < ?2) order by at desc, id desc",
                    atOf(after), after.id()).page(0, limit + 1).list();
        }
        return rows.map(events -> {
            List<AuditEvent> shown = events.size() > limit ? events.subList(0, limit) : events;
            AuditEvent last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
            String next = events.size() > limit
                    ? new Cursor(Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, last.at)), last.id).encode()
                    : null;
            return new Page(shown.stream().map(AuditTrail::view).toList(), next);
        });
    }

    /** The time of a trail cursor: microseconds since the epoch, as PostgreSQL keeps them. */
    private static Instant atOf(Cursor cursor) {
        try {
            return Instant.EPOCH.plus(Long.parseLong(cursor.key()), ChronoUnit.MICROS);
        } catch (NumberFormatException e) {
            throw Cursor.foreign();
        }
    }

    private static EventView view(AuditEvent e) {
        return new EventView(e.id, e.at, e.action, new ActorView(e.actorId, e.actorUsername),
                new TargetView(e.targetType, e.targetId), e.clientAddress, e.detail);
    }
}
