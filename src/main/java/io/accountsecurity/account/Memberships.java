package io.accountsecurity.account;

import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** The memberships table's statements, inside the caller's session or transaction. */
@Singleton
public class Memberships implements PanacheRepositoryBase<Membership, Membership.Key> {

    /** The user's membership of the community, or null. */
    public Uni<Membership> of(UUID userId, UUID communityId) {
        return findById(new Membership.Key(userId, communityId));
    }

    public Uni<Void> add(List<Membership> memberships) {
        return persist(memberships);
    }

    /** Answers the rows removed (0 or 1). */
    public Uni<Long> remove(UUID userId, UUID communityId) {
        return delete("userId = ?1 and communityId = ?2", userId, communityId);
    }

    /**
     * The community's members, and those of them without 2FA, counted by the database in one statement. The id is
     * bound as a list, which keeps the native select out of Hibernate's plan cache (see {@code LoginLookup}).
     */
    public Uni<long[]> countWithoutTwoFactor(UUID communityId) {
        return getSession().flatMap(session -> session.createNativeQuery(
                "select count(*), count(*) filter (where t.user_id is null) from memberships m "
                        + "left join totp_credentials t on t.user_id = m.user_id and t.enabled_at is not null "
                        + "where m.community_id in (:ids)", Object[].class)
                .setParameter("ids", List.of(communityId)).getSingleResult())
                .map(row -> new long[] { ((Number) row[0]).longValue(), ((Number) row[1]).longValue() });
    }
}
