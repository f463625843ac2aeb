package io.accountsecurity.login;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.accountsecurity.account.CommunityRef;
import io.accountsecurity.db.Db;
import io.accountsecurity.password.PasswordCounters;
import io.accountsecurity.throttle.AttemptThrottle;
import io.accountsecurity.token.TokenIssuer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

/**
 * What the password step needs before it hashes, in one statement: the account (if the name is known and the account
 * active: a deactivated one is answered exactly as an unknown name), whether 2FA is on, which communities require it,
 * and the password counters of this name and client, whose in-flight slot it reserves (the statement is
 * {@link AttemptThrottle}'s, the owner of the counters). No connection is held while the hash runs.
 */
@Singleton
public class LoginLookup {

    /**
     * Reserves the attempt's in-flight slot on its (account, address) counter, and reads the account
     * ({@code :username}) and the account's and the address's counters ({@code :keys}). Bound to a list,
     * {@code :keys} also keeps the statement out of Hibernate's plan cache, where Hibernate Reactive's native selects
     * never match and would add an entry at each execution.
     */
    private static final String QUERY = "with reserved as (" + AttemptThrottle.RESERVE + ")\n" + """
            select u.id, u.username, u.password_hash, u.platform_admin, u.token_version,
                   exists(select 1 from totp_credentials t where t.user_id = u.id and t.enabled_at is not null),
                   (select coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name), '[]'::json)
                      from memberships m join communities c on c.id = m.community_id
                     where m.user_id = u.id and c.two_factor_required)::text,
                   (select json_agg(r) from (select * from reserved
                       union all select counter_key, failures, 0,
                                        coalesce((extract(epoch from locked_until) * 1000)::bigint, 0)
                                   from attempt_counters where counter_key in (:keys)) r)::text
              from (select 1) as one
              left join users u on lower(u.username) = lower(:username) and u.active""";

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

    private final AttemptThrottle throttle;
    private final PasswordCounters counters;

    public LoginLookup(AttemptThrottle throttle, PasswordCounters counters) {
        this.throttle = throttle;
        this.counters = counters;
    }

    public Uni<Account> read(String username, PasswordCounters.Keys keys) {
        return Db.session(() -> Panache.getSession().flatMap(session -> counters.reservation(keys)
                .bind(session.createNativeQuery(QUERY, Object[].class))
                .setParameter("username", username)
                .setParameter("keys", List.of(keys.account(), keys.address()))
                .getSingleResult()))
                .map(row -> account(row, keys));
    }

    private Account account(Object[] row, PasswordCounters.Keys keys) {
        Map<String, AttemptThrottle.Status> byKey = new HashMap<>();
        for (Object item : new JsonArray((String) row[7])) {
            JsonObject counter = (JsonObject) item;
            byKey.put(counter.getString("counter_key"), throttle.statusOf(counter.getInteger("failures"),
                    counter.getLong("locked_until"), counter.getInteger("in_flight")));
        }
        AttemptThrottle.Status none = new AttemptThrottle.Status(0, null);
        PasswordCounters.Statuses status = new PasswordCounters.Statuses(byKey.get(keys.pair()),
                byKey.getOrDefault(keys.account(), none), byKey.getOrDefault(keys.address(), none));
        UUID id = (UUID) row[0];
        if (id == null) {
            return new Account(null, false, List.of(), status);
        }
        List<CommunityRef> requiredBy = new ArrayList<>();
        for (Object item : new JsonArray((String) row[6])) {
            requiredBy.add(CommunityRef.of((JsonObject) item));
        }
        return new Account(new Candidate(id, (String) row[1], (String) row[2], (Boolean) row[3],
                ((Number) row[4]).intValue()), (Boolean) row[5], requiredBy, status);
    }
}
