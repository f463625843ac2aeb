package io.accountsecurity.password;

import io.accountsecurity.account.Caller;
import io.accountsecurity.account.Users;
import io.accountsecurity.db.Db;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.session.Sessions;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * A user's change of their own password: the current one checked as a re-authentication (a wrong one counts toward
 * the password lockout), the new one held to {@link PasswordPolicy}, then, in one transaction, the new hash, the
 * PASSWORD_CHANGED event and the end of every other session of the user.
 */
@Singleton
public class PasswordChange {

    private final Reauthentication reauthentication;
    private final PasswordHasher hasher;
    private final SecurityEvents events;
    private final Sessions sessions;
    private final Users users;

    public PasswordChange(Reauthentication reauthentication, PasswordHasher hasher, SecurityEvents events,
            Sessions sessions, Users users) {
        this.users = users;
        this.reauthentication = reauthentication;
        this.hasher = hasher;
        this.events = events;
        this.sessions = sessions;
    }

    public Uni<Void> change(Caller caller, String currentPassword, String newPassword) {
        return reauthentication.confirm(caller, currentPassword)
                .flatMap(user -> hasher.hashNew(user.username, newPassword))
                .flatMap(hash -> Db.transaction(() -> users.setPasswordHash(caller.userId(), hash)
                        .call(() -> events.record(EventType.PASSWORD_CHANGED, caller.userId(), null,
                                caller.clientAddress(), "Password changed"))
                        .call(() -> sessions.endAll(caller.userId(), caller.sessionId(), "password changed",
                                caller.clientAddress()))))
                .replaceWithVoid();
    }
}
