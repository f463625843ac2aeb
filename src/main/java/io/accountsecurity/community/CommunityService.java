package io.accountsecurity.community;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.accountsecurity.account.Caller;
import io.accountsecurity.account.Communities;
import io.accountsecurity.account.Community;
import io.accountsecurity.account.CommunityRef;
import io.accountsecurity.account.Membership;
import io.accountsecurity.account.Memberships;
import io.accountsecurity.account.User;
import io.accountsecurity.account.Users;
import io.accountsecurity.db.Db;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvent;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.password.Reauthentication;
import io.accountsecurity.platform.SecurityMetrics;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.twofactor.Factors;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;

/**
 * Community 2FA policies: who may read and change them, the MSSP cascade, the compliance counts and the community's
 * security events. A holder of COMMUNITY_WRITE_ROLE in a community is a writer of it; a holder of it in the MSSP
 * community that manages it is a writer of its authentication policy only (the seed's MSSP manager enforces 2FA in
 * the managed communities), not of its members' events.
 */
@Singleton
public class CommunityService {

    /** A policy as the API shows it; the counts are null for readers who are not writers. */
    public record Policy(Community community, User updatedBy, Long membersTotal, Long membersWithoutTwoFactor,
            List<CommunityRef> managedUpdated) {
    }

    /**
     * What the caller may do with one community: {@code writer} holds the role in it, {@code policyWriter} in it or
     * in its MSSP.
     */
    private record Access(Community community, boolean member, boolean writer, boolean policyWriter) {
    }

    private final Reauthentication reauthentication;
    private final Factors factors;
    private final SecurityEvents events;
    private final SecurityMetrics metrics;
    private final Clock clock;
    private final Users users;
    private final Memberships memberships;
    private final Communities communities;

    public CommunityService(Reauthentication reauthentication, Factors factors, SecurityEvents events,
            SecurityMetrics metrics, Clock clock, Users users, Memberships memberships, Communities communities) {
        this.users = users;
        this.memberships = memberships;
        this.communities = communities;
        this.reauthentication = reauthentication;
        this.factors = factors;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<Policy> policy(Caller caller, UUID communityId) {
        return Db.session(() -> users.standing(caller)
                .flatMap(user -> access(user.id, communityId))
                .flatMap(access -> view(access.community(), access.policyWriter(), null)));
    }

    public Uni<Policy> changePolicy(Caller caller, UUID communityId, boolean required, String password,
            boolean applyToManaged) {
        // Role and second factor first, so that the password is never checked for a caller who may not act.
        return Db.session(() -> users.standing(caller).flatMap(user -> access(user.id, communityId)
                .flatMap(access -> {
                    if (!access.policyWriter()) {
                        throw new ProblemException(ProblemType.FORBIDDEN,
                                "Changing the policy needs COMMUNITY_WRITE_ROLE in this community or its MSSP.");
                    }
                    return factors.enabled(user.id);
                })
                .map(enabled -> {
                    if (!enabled || !caller.usedSecondFactor()) {
                        throw new ProblemException(ProblemType.TWO_FACTOR_REQUIRED_FOR_ACTION,
                                "Enable two-factor authentication and log in with it to change this policy.");
                    }
                    return user;
                })))
                .flatMap(user -> reauthentication.confirm(caller, password))
                .flatMap(user -> Db.transaction(() -> apply(user, caller, communityId, required,
                        applyToManaged)));
    }

    private Uni<Policy> apply(User user, Caller caller, UUID communityId, boolean required, boolean applyToManaged) {
        Instant now = clock.instant();
        return communities.lock(communityId)
                .flatMap(community -> {
                    Uni<List<Community>> managed = applyToManaged
                            ? communities.lockManagedBy(communityId)
                            : Uni.createFrom().item(List.of());
                    return managed.flatMap(list -> {
                        List<Community> changed = new ArrayList<>(list.size() + 1);
                        changed.add(community);
                        changed.addAll(list);
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (Community c : changed) {
                            c.twoFactorRequired = required;
                            c.policyUpdatedAt = now;
                            c.policyUpdatedBy = user.id;
                            String detail = "two_factor_required=" + required
                                    + (c == community ? "" : " (applied from MSSP community " + community.name + ")");
                            chain = chain.call(() -> events.record(EventType.TWO_FACTOR_POLICY_CHANGED, user.id,
                                    c.id, caller.clientAddress(), detail));
                        }
                        metrics.policyChange(changed.size());
                        // Flush inside the transaction: every row changes, or the whole cascade rolls back.
                        return chain.call(() -> communities.flush())
                                .flatMap(v -> view(community, true,
                                        applyToManaged ? list.stream().map(CommunityRef::of).toList() : null));
                    });
                });
    }

    public Uni<List<Community>> managed(Caller caller, UUID communityId) {
        return Db.session(() -> users.standing(caller)
                .flatMap(user -> access(user.id, communityId))
                .flatMap(access -> {
                    requireWriter(access);
                    return communities.managedBy(communityId);
                }));
    }

    /** What a community's writers see of its members' events: their 2FA changes, nothing else of their accounts. */
    static final List<String> MEMBER_EVENTS = List.of(EventType.TWO_FACTOR_ENABLED.name(),
            EventType.TWO_FACTOR_DISABLED.name(), EventType.TWO_FACTOR_RESET_BY_ADMIN.name());

    public Uni<List<CommunityEventView>> events(Caller caller, UUID communityId, int limit) {
        return Db.session(() -> users.standing(caller)
                .flatMap(user -> access(user.id, communityId))
                .flatMap(access -> {
                    requireWriter(access);
                    return events.ofCommunity(communityId, MEMBER_EVENTS, limit);
                })
                .flatMap(list -> usernames(list.stream().map(e -> e.userId).distinct().toList())
                        .map(names -> list.stream().map(e -> CommunityEventView.of(e, e.userId == null ? null
                                : new CommunityEventView.UserRef(e.userId, names.get(e.userId)))).toList())));
    }

    private static void requireWriter(Access access) {
        if (!access.writer()) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "This needs COMMUNITY_WRITE_ROLE in this community.");
        }
    }

    /** 404 for a caller who is neither a member nor a writer through the MSSP: the community stays hidden. */
    private Uni<Access> access(UUID userId, UUID communityId) {
        return communities.findById(communityId).flatMap(community -> {
            if (community == null) {
                throw notFound();
            }
            return memberships.of(userId, communityId)
                    .flatMap(own -> {
                        boolean writer = own != null && own.hasRole(Membership.COMMUNITY_WRITE_ROLE);
                        if (writer || community.managedBy == null) {
                            return Uni.createFrom().item(new Access(community, own != null, writer, writer));
                        }
                        return memberships.of(userId, community.managedBy)
                                .map(mssp -> new Access(community, own != null, false,
                                        mssp != null && mssp.hasRole(Membership.COMMUNITY_WRITE_ROLE)));
                    })
                    .map(access -> {
                        if (!access.member() && !access.policyWriter()) {
                            throw notFound();
                        }
                        return access;
                    });
        });
    }

    private Uni<Policy> view(Community community, boolean writer, List<CommunityRef> managedUpdated) {
        Uni<User> updatedBy = community.policyUpdatedBy == null ? Uni.createFrom().nullItem()
                : users.findById(community.policyUpdatedBy);
        if (!writer) {
            return updatedBy.map(by -> new Policy(community, by, null, null, managedUpdated));
        }
        // Both counts in one query, computed by the database.
        return updatedBy.flatMap(by -> memberships.countWithoutTwoFactor(community.id)
                .map(counts -> new Policy(community, by, counts[0], counts[1], managedUpdated)));
    }

    private Uni<Map<UUID, String>> usernames(List<UUID> ids) {
        List<UUID> known = ids.stream().filter(id -> id != null).toList();
        if (known.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return users.withIds(known)
                .map(users -> users.stream().collect(Collectors.toMap(u -> u.id, u -> u.username)));
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such community.");
    }
}
