package io.accountsecurity.me;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.accountsecurity.account.Caller;
import io.accountsecurity.account.CommunityRef;
import io.accountsecurity.account.Users;
import io.accountsecurity.config.SessionConfig;
import io.accountsecurity.db.Db;
import io.accountsecurity.events.EventView;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.token.TokenUse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/**
 * The caller's account as {@code GET /api/v1/me} shows it, read in one statement: the most frequent request of the
 * service must not cost six round trips. Read-only, so it goes through the reactive client directly. The same
 * statement checks that an access token's session is live, in place of the token filter's check.
 */
@Singleton
public class AccountOverview {

    private static final String QUERY = """
            select u.username, u.token_version, t.enabled_at,
                   u.active and ($2::uuid is null or exists(select 1 from sessions s where s.id = $2 and s.user_id = u.id
                                                  and s.revoked_at is null and s.last_used_at > $3
                                                  and s.created_at > $4)) as live,
                   (select count(*) from backup_codes b where b.user_id = u.id and b.used_at is null) as remaining,
                   (select coalesce(json_agg(json_build_object('id', c.id, 'name', c.name, 'roles', m.roles,
                                                               'required', c.two_factor_required) order by c.name),
                                    '[]'::json)
                      from memberships m join communities c on c.id = m.community_id
                     where m.user_id = u.id) as communities
              from users u
              left join totp_credentials t on t.user_id = u.id and t.enabled_at is not null
             where u.id = $1""";

    /** One membership. */
    public record MembershipView(UUID id, String name, List<String> roles) {
    }

    public record TwoFactorView(boolean enabled, java.time.Instant enabledAt, long backupCodesRemaining,
            List<CommunityRef> requiredBy) {
    }

    public record MeView(UUID id, String username, List<MembershipView> communities, TwoFactorView twoFactor) {
    }

    private final Pool pool;
    private final Clock clock;
    private final SessionConfig sessions;
    private final SecurityEvents events;
    private final Users users;

    public AccountOverview(Pool pool, Clock clock, SessionConfig sessions, SecurityEvents events, Users users) {
        this.users = users;
        this.pool = pool;
        this.clock = clock;
        this.sessions = sessions;
        this.events = events;
    }

    /** The caller's most recent security events, newest first. */
    public Uni<List<EventView>> recentEvents(Caller caller, int limit) {
        return Db.session(() -> users.standing(caller).flatMap(user -> events.latest(user.id, limit)))
                .map(found -> found.stream().map(EventView::of).toList());
    }

    public Uni<MeView> of(Caller caller) {
        if (caller.use() == TokenUse.ACCESS && caller.sessionId() == null) {
            return Uni.createFrom().failure(Caller.revoked());
        }
        Instant now = clock.instant();
        Tuple parameters = Tuple.of(caller.userId(), caller.sessionId(),
                now.minus(sessions.idleTimeout()).atOffset(ZoneOffset.UTC),
                now.minus(sessions.absoluteLifetime()).atOffset(ZoneOffset.UTC));
        return pool.preparedQuery(QUERY).execute(parameters).map(rows -> {
            if (rows.size() == 0) {
                throw Caller.revoked();
            }
            Row row = rows.iterator().next();
            if (row.getInteger("token_version") != caller.tokenVersion() || !row.getBoolean("live")) {
                throw Caller.revoked();
            }
            List<MembershipView> communities = new ArrayList<>();
            List<CommunityRef> requiredBy = new ArrayList<>();
            for (Object item : (JsonArray) row.getValue("communities")) {
                JsonObject community = (JsonObject) item;
                CommunityRef ref = CommunityRef.of(community);
                List<String> roles = new ArrayList<>();
                community.getJsonArray("roles").forEach(role -> roles.add((String) role));
                communities.add(new MembershipView(ref.id(), ref.name(), roles));
                if (community.getBoolean("required")) {
                    requiredBy.add(ref);
                }
            }
            OffsetDateTime enabledAt = row.getOffsetDateTime("enabled_at");
            boolean enabled = enabledAt != null;
            return new MeView(caller.userId(), row.getString("username"), communities,
                    new TwoFactorView(enabled, enabled ? enabledAt.toInstant() : null,
                            enabled ? row.getLong("remaining") : 0, requiredBy));
        });
    }
}
