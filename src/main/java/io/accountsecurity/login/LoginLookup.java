package io.accountsecurity.login;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.accountsecurity.account.CommunityRef;
import io.accountsecurity.password.PasswordCounters;
import io.accountsecurity.throttle.AttemptThrottle;
import io.accountsecurity.token.TokenIssuer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Singleton;

/**
 * What the password step needs before it hashes, in one read: the account (if the name is known and the account
 * active: a deactivated one is answered exactly as an unknown name), whether 2FA is on,
 * which communities require it, and the password counters of this name and client, whose in-flight slots it
 * reserves. No connection is held while the hash runs.
 */
@Singleton
public class LoginLookup {

    /**
     * Reserves the attempt's in-flight slot on its (account, address) counter ($1 to $3), and reads the account ($4)
     * and the account's and the address's counters ($5) in one statement.
     */
    private static final String QUERY = "with reserved as (" + AttemptThrottle.RESERVE + ")\n" + """
            select u.id, u.username, u.password_hash, u.platform_admin, u.token_version,
                   exists(select 1 from totp_credentials t where t.user_id = u.id and t.enabled_at is not null)
                       as two_factor,
                   (select coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name), '[]'::json)
                      from memberships m join communities c on c.id = m.community_id
                     where m.user_id = u.id and c.two_factor_required) as required_by,
                   (select json_agg(r) from (select * from reserved
                       union all select counter_key, failures, 0,
                                        coalesce((extract(epoch from locked_until) * 1000)::bigint, 0)
                                   from attempt_counters where counter_key = any($5::varchar[])) r) as counters
              from (select 1) as one
              left join users u on lower(u.username) = lower($4) and u.active""";

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
    private final PasswordCounters counters;

    public LoginLookup(Pool pool, AttemptThrottle throttle, PasswordCounters counters) {
        this.pool = pool;
        this.throttle = throttle;
        this.counters = counters;
    }

    public Uni<Account> read(String username, PasswordCounters.Keys keys) {
        return pool.preparedQuery(QUERY).execute(counters.reservation(keys).addValue(username)
                .addValue(new String[] { keys.account(), keys.address() })).map(rows -> {
            Row row = rows.iterator().next();
            Map<String, AttemptThrottle.Status> byKey = new HashMap<>();
            for (Object item : (JsonArray) row.getValue("counters")) {
                JsonObject counter = (JsonObject) item;
                byKey.put(counter.getString("counter_key"), throttle.statusOf(counter.getInteger("failures"),
                        counter.getLong("locked_until"), counter.getInteger("in_flight")));
            }
            AttemptThrottle.Status none = new AttemptThrottle.Status(0, null);
            PasswordCounters.Statuses status = new PasswordCounters.Statuses(byKey.get(keys.pair()),
                    byKey.getOrDefault(keys.account(), none), byKey.getOrDefault(keys.address(), none));
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
