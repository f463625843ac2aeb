package io.accountsecurity.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.accountsecurity.community.CommunityRef;
import io.accountsecurity.token.TokenIssuer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/**
 * What the password step needs before it hashes, in one read: the account (if the name is known and the account
 * active: a deactivated one is answered exactly as an unknown name), whether 2FA is on,
 * which communities require it, and the lockout counter of this name and client. No connection is held while the
 * hash runs.
 */
@Singleton
public class LoginLookup {

    private static final String QUERY = """
            select u.id, u.username, u.password_hash, u.platform_admin, u.token_version,
                   exists(select 1 from totp_credentials t where t.user_id = u.id and t.enabled_at is not null)
                       as two_factor,
                   (select coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name), '[]'::json)
                      from memberships m join communities c on c.id = m.community_id
                     where m.user_id = u.id and c.two_factor_required) as required_by,
                   coalesce(a.failures, 0) as failures,
                   coalesce((extract(epoch from a.locked_until) * 1000)::bigint, 0) as locked_until,
                   coalesce(g.failures, 0) as account_failures,
                   coalesce((extract(epoch from g.locked_until) * 1000)::bigint, 0) as account_locked_until,
                   coalesce(c.failures, 0) as address_failures,
                   coalesce((extract(epoch from c.locked_until) * 1000)::bigint, 0) as address_locked_until
              from (select 1) as one
              left join users u on lower(u.username) = lower($1) and u.active
              left join attempt_counters a on a.counter_key = $2
              left join attempt_counters g on g.counter_key = $3
              left join attempt_counters c on c.counter_key = $4""";

    /** A known account as the password step sees it. */
    public record Candidate(UUID id, String username, String passwordHash, boolean platformAdmin, int tokenVersion) {
        public TokenIssuer.Subject subject() {
            return new TokenIssuer.Subject(id, username, platformAdmin, tokenVersion);
        }
    }

    /** The read: {@code candidate} is null for an unknown name. */
    public record Account(Candidate candidate, boolean twoFactorEnabled, List<CommunityRef> requiredBy,
            PasswordCounters.Statuses throttle) {
    }

    private final Pool pool;
    private final AttemptThrottle throttle;

    public LoginLookup(Pool pool, AttemptThrottle throttle) {
        this.pool = pool;
        this.throttle = throttle;
    }

    public Uni<Account> read(String username, PasswordCounters.Keys keys) {
        return pool.preparedQuery(QUERY).execute(Tuple.of(username, keys.pair(), keys.account(), keys.address()))
                .map(rows -> {
            Row row = rows.iterator().next();
            PasswordCounters.Statuses status = new PasswordCounters.Statuses(
                    throttle.statusOf(row.getInteger("failures"), row.getLong("locked_until")),
                    throttle.statusOf(row.getInteger("account_failures"), row.getLong("account_locked_until")),
                    throttle.statusOf(row.getInteger("address_failures"), row.getLong("address_locked_until")));
            UUID id = row.getUUID("id");
            if (id == null) {
                return new Account(null, false, List.of(), status);
            }
            List<CommunityRef> requiredBy = new ArrayList<>();
            for (Object item : (JsonArray) row.getValue("required_by")) {
                requiredBy.add(CommunityRef.of((JsonObject) item));
            }
            return new Account(new Candidate(id, row.getString("username"), row.getString("password_hash"),
                    row.getBoolean("platform_admin"), row.getInteger("token_version")),
                    row.getBoolean("two_factor"), requiredBy, status);
        });
    }
}
