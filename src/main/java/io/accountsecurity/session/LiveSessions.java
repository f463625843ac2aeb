package io.accountsecurity.session;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.accountsecurity.config.SessionConfig;
import io.accountsecurity.token.TokenIssuer;
import io.accountsecurity.token.TokenStanding;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/**
 * The hot reads of the sessions table, one statement each on the reactive client: whether a token's session stands
 * (every authenticated request) and what a refresh token's session and account are. Writes go through {@link Sessions}.
 */
@Singleton
public class LiveSessions implements TokenStanding {

    /** A live session's condition, for statements that take the idle and the absolute limits as $3 and $4. */
    static final String LIVE = "s.revoked_at is null and s.last_used_at > $3 and s.created_at > $4";

    private static final String STANDING = """
            select u.platform_admin, u.token_version,
                   u.active and exists(select 1 from sessions s where s.id = $2 and s.user_id = u.id and %s) as live
              from users u where u.id = $1""".formatted(LIVE);

    private static final String BY_REFRESH_TOKEN = """
            select s.id, s.user_id, s.amr, s.created_at, s.last_used_at, s.revoked_at,
                   u.username, u.platform_admin, u.token_version,
                   exists(select 1 from totp_credentials t where t.user_id = u.id and t.enabled_at is not null)
                       as two_factor,
                   exists(select 1 from memberships m join communities c on c.id = m.community_id
                           where m.user_id = u.id and c.two_factor_required) as two_factor_required
              from sessions s join users u on u.id = s.user_id
             where s.refresh_token_hash = $1 and u.active""";

    /** A session found by its refresh token, with what the refresh needs of its account. */
    record Found(UUID id, TokenIssuer.Subject subject, List<String> amr, Instant createdAt, Instant lastUsedAt,
            boolean revoked, boolean needsEnrollment) {
    }

    private final Pool pool;
    private final Clock clock;
    private final SessionConfig config;

    public LiveSessions(Pool pool, Clock clock, SessionConfig config) {
        this.pool = pool;
        this.clock = clock;
        this.config = config;
    }

    @Override
    public Uni<Standing> check(UUID userId, int tokenVersion, UUID sessionId, String group) {
        Instant now = clock.instant();
        return pool.preparedQuery(STANDING)
                .execute(Tuple.of(userId, sessionId, utc(idleLimit(now)), utc(absoluteLimit(now))))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Standing.REVOKED;
                    }
                    Row row = rows.iterator().next();
                    if (row.getInteger("token_version") != tokenVersion || !row.getBoolean("live")) {
                        return Standing.REVOKED;
                    }
                    boolean holds = group.isEmpty()
                            || TokenIssuer.ADMIN_GROUP.equals(group) && row.getBoolean("platform_admin");
                    return holds ? Standing.STANDS : Standing.GROUP_NOT_HELD;
                });
    }

    /** The session whose current refresh token has this hash, or null. */
    Uni<Found> byRefreshToken(String hash) {
        return pool.preparedQuery(BY_REFRESH_TOKEN).execute(Tuple.of(hash)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            TokenIssuer.Subject subject = new TokenIssuer.Subject(row.getUUID("user_id"), row.getString("username"),
                    row.getBoolean("platform_admin"), row.getInteger("token_version"));
            return new Found(row.getUUID("id"), subject, Arrays.asList(row.getArrayOfStrings("amr")),
                    row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("last_used_at").toInstant(),
                    row.getValue("revoked_at") != null,
                    !row.getBoolean("two_factor") && row.getBoolean("two_factor_required"));
        });
    }

    /** Sessions last used before this have gone idle. */
    Instant idleLimit(Instant now) {
        return now.minus(config.idleTimeout());
    }

    /** Sessions started before this have reached their absolute lifetime. */
    Instant absoluteLimit(Instant now) {
        return now.minus(config.absoluteLifetime());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
