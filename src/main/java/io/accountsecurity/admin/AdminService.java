package io.accountsecurity.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.accountsecurity.account.Communities;
import io.accountsecurity.account.Community;
import io.accountsecurity.account.Membership;
import io.accountsecurity.account.Memberships;
import io.accountsecurity.account.User;
import io.accountsecurity.account.Users;
import io.accountsecurity.db.Db;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.password.PasswordHasher;
import io.accountsecurity.problem.DatabaseFailures;
import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.session.Sessions;
import io.accountsecurity.twofactor.Factors;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/** Platform administration: communities, users, memberships and 2FA resets. */
@Singleton
public class AdminService {

    public record NewMembership(UUID communityId, List<String> roles) {
    }

    private final PasswordHasher hasher;
    private final SecurityEvents events;
    private final AuditTrail audit;
    private final Sessions sessions;
    private final Clock clock;
    private final Users users;
    private final Memberships memberships;
    private final Communities communities;
    private final Factors factors;

    public AdminService(PasswordHasher hasher, SecurityEvents events, AuditTrail audit, Sessions sessions,
            Clock clock, Users users, Memberships memberships, Communities communities, Factors factors) {
        this.factors = factors;
        this.users = users;
        this.memberships = memberships;
        this.communities = communities;
        this.sessions = sessions;
        this.hasher = hasher;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
    }

    public Uni<Community> createCommunity(String name, UUID managedBy, AuditTrail.Actor actor) {
        return Db.transaction(() -> {
            Uni<Void> managerExists = managedBy == null ? Uni.createFrom().voidItem()
                    : communities.findById(managedBy).map(found -> {
                        if (found == null) {
                            throw invalidField("managed_by", "no community has this id");
                        }
                        // Management is one level deep (an MSSP over its customers): a managed community manages none.
                        if (found.managedBy != null) {
                            throw invalidField("managed_by", "names a community that is itself managed");
                        }
                        return null;
                    });
            return managerExists.flatMap(v -> {
                Community community = new Community();
                community.id = UUID.randomUUID();
                community.name = name;
                community.managedBy = managedBy;
                community.createdAt = clock.instant();
                return communities.persist(community).call(() -> audit.record(actor,
                        AuditTrail.Action.COMMUNITY_CREATED, "community", community.id,
                        "Community " + name + (managedBy == null ? "" : ", managed by " + managedBy)));
            });
        });
    }

    /** Creates a user; {@code actor} is the administrator, or null for the bootstrap administrator. */
    public Uni<User> createUser(String username, String password, List<NewMembership> memberships,
            boolean platformAdmin, AuditTrail.Actor actor) {
        Set<UUID> communityIds = new HashSet<>();
        for (NewMembership m : memberships) {
            if (!communityIds.add(m.communityId())) {
                throw invalidField("memberships", "a community appears twice");
            }
        }
        // Administrators' passwords follow the password rule; the bootstrap administrator's comes from configuration.
        Uni<String> hashed = actor == null ? hasher.hash(password) : hasher.hashNew(username, password);
        return hashed.flatMap(hash -> Db.transaction(() -> users.byUsername(username)
                .flatMap(existing -> {
                    if (existing != null) {
                        throw usernameTaken();
                    }
                    return requireCommunities(communityIds);
                })
                .flatMap(v -> {
                    Instant now = clock.instant();
                    User user = new User();
                    user.id = UUID.randomUUID();
                    user.username = username;
                    user.passwordHash = hash;
                    user.platformAdmin = platformAdmin;
                    user.createdAt = now;
                    Uni<User> saved = users.persist(user);
                    if (!memberships.isEmpty()) {
                        saved = saved.call(() -> this.memberships.add(memberships.stream()
                                .map(m -> membership(user.id, m.communityId(), m.roles(), now)).toList()));
                    }
                    return actor == null ? saved : saved.call(() -> audit.record(actor,
                            AuditTrail.Action.USER_CREATED, "user", user.id, "User " + username + " with "
                                    + memberships.size() + " membership(s)"));
                })))
                .onFailure(DatabaseFailures::isUniqueViolation).transform(e -> usernameTaken());
    }

    public Uni<Membership> setRoles(UUID communityId, UUID userId, List<String> roles, AuditTrail.Actor actor) {
        return Db.transaction(() -> communities.findById(communityId)
                .flatMap(community -> users.findById(userId).map(user -> community != null && user != null))
                .flatMap(found -> {
                    if (!found) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "No such community or user.");
                    }
                    return memberships.of(userId, communityId);
                })
                .flatMap(existing -> {
                    if (existing != null) {
                        existing.roles = distinct(roles);
                        return Uni.createFrom().item(existing);
                    }
                    return memberships.persist(membership(userId, communityId, roles, clock.instant()));
                })
                .call(membership -> audit.record(actor, AuditTrail.Action.ROLES_CHANGED, "user", userId,
                        "Roles in community " + communityId + ": " + String.join(", ", membership.roles))));
    }

    /** For a user who lost their device and codes: 2FA off, every token revoked, recorded. */
    public Uni<Void> resetTwoFactor(UUID userId, AuditTrail.Actor actor) {
        return Db.transaction(() -> users.findById(userId).flatMap(user -> {
            if (user == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such user.");
            }
            user.tokenVersion++;
            return factors.removeAll(userId)
                    .call(() -> events.record(EventType.TWO_FACTOR_RESET_BY_ADMIN, userId, null, actor.clientAddress(),
                            "Two-factor authentication reset by administrator " + actor.id()))
                    .call(() -> sessions.endAll(userId, null,
                            "two-factor authentication reset by administrator " + actor.id(),
                            actor.clientAddress()))
                    .call(() -> audit.record(actor, AuditTrail.Action.TWO_FACTOR_RESET, "user", userId,
                            "Two-factor authentication of " + user.username + " reset"));
        }));
    }

    /**
     * Deactivates or reactivates a user. Deactivation ends every session and token of the user at once; neither it
     * nor {@link #deleteUser} may leave the platform without an active administrator (409 last-administrator), also
     * when two administrators act at the same moment: the active administrators' rows are locked first.
     */
    public Uni<Void> setActive(UUID userId, boolean active, AuditTrail.Actor actor) {
        return Db.transaction(() -> lockedAdministrators().flatMap(admins -> lockedUser(userId).flatMap(user -> {
            if (user.active == active) {
                return Uni.createFrom().voidItem();
            }
            if (!active) {
                requireAnotherAdministrator(user, admins);
            }
            return Uni.createFrom().voidItem().flatMap(v -> {
                user.active = active;
                if (active) {
                    return audit.record(actor, AuditTrail.Action.USER_REACTIVATED, "user", userId,
                            "User " + user.username + " reactivated");
                }
                user.tokenVersion++;
                return sessions.endAll(userId, null, "account deactivated by administrator " + actor.id(),
                        actor.clientAddress())
                        .flatMap(n -> audit.record(actor, AuditTrail.Action.USER_DEACTIVATED, "user", userId,
                                "User " + user.username + " deactivated"));
            });
        })));
    }

    /** Deletes a user with their memberships, factors and sessions; the audit trail keeps the record. */
    public Uni<Void> deleteUser(UUID userId, AuditTrail.Actor actor) {
        return Db.transaction(() -> lockedAdministrators().flatMap(admins -> lockedUser(userId).flatMap(user -> {
            requireAnotherAdministrator(user, admins);
            return users.remove(userId).flatMap(n -> audit.record(actor, AuditTrail.Action.USER_DELETED, "user",
                    userId, "User " + user.username + " deleted"));
        })));
    }

    /** Removes a membership; 404 when there is none. */
    public Uni<Void> removeMembership(UUID communityId, UUID userId, AuditTrail.Actor actor) {
        return Db.transaction(() -> memberships.remove(userId, communityId)
                .flatMap(removed -> {
                    if (removed == 0) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "No such membership.");
                    }
                    return audit.record(actor, AuditTrail.Action.MEMBERSHIP_REMOVED, "user", userId,
                            "Membership of community " + communityId + " removed");
                }));
    }

    private Uni<User> lockedUser(UUID userId) {
        return users.lock(userId).map(user -> {
            if (user == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such user.");
            }
            return user;
        });
    }

    /** The active platform administrators, locked before any other row (see {@link Users#lockActiveAdministrators}). */
    private Uni<List<User>> lockedAdministrators() {
        return users.lockActiveAdministrators();
    }

    /** Refuses (409 last-administrator) when {@code user} is the last active platform administrator. */
    private static void requireAnotherAdministrator(User user, List<User> activeAdmins) {
        if (user.platformAdmin && user.active && activeAdmins.stream().noneMatch(admin -> !admin.id.equals(user.id))) {
            throw new ProblemException(ProblemType.LAST_ADMINISTRATOR,
                    "This is the last active platform administrator; make another one first.");
        }
    }

    private Uni<Void> requireCommunities(Set<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return communities.countExisting(ids).map(found -> {
            if (found != ids.size()) {
                throw invalidField("memberships", "a community_id names no community");
            }
            return null;
        });
    }

    private static Membership membership(UUID userId, UUID communityId, List<String> roles, Instant now) {
        Membership membership = new Membership();
        membership.userId = userId;
        membership.communityId = communityId;
        membership.roles = distinct(roles);
        membership.createdAt = now;
        return membership;
    }

    private static String[] distinct(List<String> roles) {
        return roles.stream().distinct().sorted().toArray(String[]::new);
    }

    private static ProblemException usernameTaken() {
        return new ProblemException(ProblemType.USERNAME_TAKEN, "This username is taken (usernames ignore case).");
    }

    static ProblemException invalidField(String field, String message) {
        return new ProblemException(Problem.invalid("The request has invalid fields.",
                List.of(new Problem.FieldError(field, message))), null);
    }
}
