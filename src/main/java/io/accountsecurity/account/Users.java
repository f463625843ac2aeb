package io.accountsecurity.account;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.persistence.LockModeType;

/**
 * The users table's statements through Hibernate Reactive, inside the caller's session or transaction. Hot reads that
 * join other tables (the account overview, the directory, the standing check) use the reactive SQL client in their
 * own classes and never write.
 */
@Singleton
public class Users implements PanacheRepositoryBase<User, UUID> {

    /** The caller's account, refusing the token (401) when the account is gone, inactive or its tokens revoked. */
    public Uni<User> standing(Caller caller) {
        return findById(caller.userId()).map(user -> {
            if (user == null || !user.active || user.tokenVersion != caller.tokenVersion()) {
                throw Caller.revoked();
            }
            return user;
        });
    }

    public Uni<User> byUsername(String username) {
        return find("lower(username) = lower(?1)", username).firstResult();
    }

    /** The user's row, locked until the transaction ends; null when there is none. */
    public Uni<User> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The active platform administrators, their rows locked in one order, so that two concurrent removals of two
     * administrators run one after the other and the second sees the first.
     */
    public Uni<List<User>> lockActiveAdministrators() {
        return find("platformAdmin = true and active = true order by id").withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    public Uni<List<User>> withIds(Collection<UUID> ids) {
        return list("id in ?1", ids);
    }

    /** Sets a new password hash; answers the rows changed. */
    public Uni<Integer> setPasswordHash(UUID id, String hash) {
        return update("passwordHash = ?1 where id = ?2", hash, id);
    }

    /** Replaces a hash only if it is still {@code expected}, so that a concurrent change is not undone. */
    public Uni<Integer> replacePasswordHash(UUID id, String expected, String hash) {
        return update("passwordHash = ?1 where id = ?2 and passwordHash = ?3", hash, id, expected);
    }

    /** Deletes a user; the database removes their memberships, factors and sessions with them. */
    public Uni<Long> remove(UUID id) {
        return delete("id", id);
    }
}
