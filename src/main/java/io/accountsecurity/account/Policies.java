package io.accountsecurity.account;

import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** What the community policies ask of one account. */
@Singleton
public class Policies {

    /** The caller's communities that require 2FA, by name. */
    public Uni<List<CommunityRef>> requiringTwoFactor(UUID userId) {
        return Community.<Community>find(
                "select c from Community c, Membership m where m.communityId = c.id and m.userId = ?1 "
                        + "and c.twoFactorRequired = true order by c.name", userId)
                .list()
                .map(list -> list.stream().map(CommunityRef::of).toList());
    }
}
