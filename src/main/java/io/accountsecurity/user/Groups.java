package io.accountsecurity.user;

import java.util.UUID;

import io.accountsecurity.token.GroupMembership;
import io.accountsecurity.token.TokenIssuer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/** The privileged groups as the accounts' table says, read in one statement per administrator request. */
@Singleton
public class Groups implements GroupMembership {

    private static final String QUERY = "select platform_admin, token_version from users where id = $1";

    private final Pool pool;

    public Groups(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Standing> check(UUID userId, int tokenVersion, String group) {
        return pool.preparedQuery(QUERY).execute(Tuple.of(userId)).map(rows -> {
            if (rows.size() == 0) {
                return Standing.REVOKED;
            }
            Row row = rows.iterator().next();
            if (row.getInteger("token_version") != tokenVersion) {
                return Standing.REVOKED;
            }
            boolean holds = TokenIssuer.ADMIN_GROUP.equals(group) && row.getBoolean("platform_admin");
            return holds ? Standing.HOLDS : Standing.NOT_HELD;
        });
    }
}
