package io.accountsecurity.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/**
 * The administrators' read of users and communities, a page at a time in one statement each (reactive SQL client,
 * read-only): ordered by name, filtered by a part of the name, paged by keyset ({@link Cursor}).
 */
@Singleton
public class Directory {

    private static final String USERS = """
            select u.id, u.username, u.active, u.created_at, t.enabled_at,
                   (select coalesce(json_agg(json_build_object('id', c.id, 'name', c.name, 'roles', m.roles)
                                             order by c.name), '[]'::json)
                      from memberships m join communities c on c.id = m.community_id
                     where m.user_id = u.id) as communities
              from users u
              left join totp_credentials t on t.user_id = u.id and t.enabled_at is not null
             where %s
             order by lower(u.username), u.id
             limit $4""";
    private static final String PAGE = "($1::text is null or lower(u.username) like $1 escape '\\') "
            + "and ($2::text is null or (lower(u.username), u.id) > ($2, $3::uuid))";
    private static final String ONE = "u.id = $1::uuid and $2::text is null and $3::uuid is null";

    private static final String COMMUNITIES = """
            select c.id, c.name, c.managed_by, c.two_factor_required,
                   (select count(*) from memberships m where m.community_id = c.id) as members_total
              from communities c
             where ($1::text is null or lower(c.name) like $1 escape '\\')
               and ($2::text is null or (lower(c.name), c.id) > ($2, $3::uuid))
             order by lower(c.name), c.id
             limit $4""";

    public record CommunityRole(UUID id, String name, List<String> roles) {
    }

    public record TwoFactorState(boolean enabled, Instant enabledAt) {
    }

    public record UserItem(UUID id, String username, boolean active, Instant createdAt, TwoFactorState twoFactor,
            List<CommunityRole> communities) {
    }

    public record CommunityItem(UUID id, String name, UUID managedBy, boolean twoFactorRequired, long membersTotal) {
    }

    public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    private final Pool pool;

    public Directory(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page<UserItem>> users(String search, int limit, String cursor) {
        Cursor after = Cursor.decode(cursor);
        return pool.preparedQuery(USERS.formatted(PAGE))
                .execute(Tuple.of(pattern(search), after == null ? null : after.key(),
                        after == null ? null : after.id(), limit + 1))
                .map(rows -> {
                    List<UserItem> items = new ArrayList<>();
                    rows.forEach(row -> items.add(user(row)));
                    return page(items, limit, item -> new Cursor(item.username().toLowerCase(Locale.ROOT), item.id()));
                });
    }

    /** One user as the list shows it, or null. */
    public Uni<UserItem> user(UUID id) {
        return pool.preparedQuery(USERS.formatted(ONE)).execute(Tuple.of(id, null, null, 1))
                .map(rows -> rows.size() == 0 ? null : user(rows.iterator().next()));
    }

    public Uni<Page<CommunityItem>> communities(String search, int limit, String cursor) {
        Cursor after = Cursor.decode(cursor);
        return pool.preparedQuery(COMMUNITIES)
                .execute(Tuple.of(pattern(search), after == null ? null : after.key(),
                        after == null ? null : after.id(), limit + 1))
                .map(rows -> {
                    List<CommunityItem> items = new ArrayList<>();
                    rows.forEach(row -> items.add(new CommunityItem(row.getUUID("id"), row.getString("name"),
                            row.getUUID("managed_by"), row.getBoolean("two_factor_required"),
                            row.getLong("members_total"))));
                    return page(items, limit, item -> new Cursor(item.name().toLowerCase(Locale.ROOT), item.id()));
                });
    }

    private static <T> Page<T> page(List<T> items, int limit, java.util.function.Function<T, Cursor> position) {
        if (items.size() <= limit) {
            return new Page<>(items, null);
        }
        List<T> shown = items.subList(0, limit);
        return new Page<>(List.copyOf(shown), position.apply(shown.get(limit - 1)).encode());
    }

    /** A case-insensitive LIKE pattern for a part of the name, its wildcards escaped; null for no filter. */
    static String pattern(String search) {
        if (search == null || search.isEmpty()) {
            return null;
        }
        String escaped = search.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private static UserItem user(Row row) {
        List<CommunityRole> communities = new ArrayList<>();
        for (Object item : (JsonArray) row.getValue("communities")) {
            JsonObject community = (JsonObject) item;
            List<String> roles = new ArrayList<>();
            community.getJsonArray("roles").forEach(role -> roles.add((String) role));
            communities.add(new CommunityRole(UUID.fromString(community.getString("id")), community.getString("name"),
                    roles));
        }
        OffsetDateTime enabledAt = row.getOffsetDateTime("enabled_at");
        return new UserItem(row.getUUID("id"), row.getString("username"), row.getBoolean("active"),
                row.getOffsetDateTime("created_at").toInstant(),
                new TwoFactorState(enabledAt != null, enabledAt == null ? null : enabledAt.toInstant()), communities);
    }
}
