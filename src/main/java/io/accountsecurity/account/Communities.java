package io.accountsecurity.account;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;

/** The communities table's statements, inside the caller's session or transaction. */
@Singleton
public class Communities implements PanacheRepositoryBase<Community, UUID> {

    /** The community's row, locked until the transaction ends; null when there is none. */
    public Uni<Community> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The communities that an MSSP community manages, by name. */
    public Uni<List<Community>> managedBy(UUID id) {
        return list("managedBy = ?1 order by name", id);
    }

    /** The same, their rows locked until the transaction ends. */
    public Uni<List<Community>> lockManagedBy(UUID id) {
        return find("managedBy = ?1 order by name", id).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** How many of {@code ids} name a community. */
    public Uni<Long> countExisting(Collection<UUID> ids) {
        return count("id in ?1", ids);
    }

    /** The user's communities that require 2FA, by name. */
    public Uni<List<CommunityRef>> requiringTwoFactor(UUID userId) {
        return find("select c from Community c, Membership m where m.communityId = c.id and m.userId = ?1 "
                + "and c.twoFactorRequired = true order by c.name", userId).list()
                .map(list -> list.stream().map(CommunityRef::of).toList());
    }
}
