package io.accountsecurity.admin;

import java.util.List;

import io.accountsecurity.account.Users;
import io.accountsecurity.config.BootstrapAdminConfig;
import io.accountsecurity.db.Db;
import io.accountsecurity.problem.DatabaseFailures;
import io.accountsecurity.web.Inputs;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Creates the first platform administrator from configuration when the service has no user yet. */
@Singleton
public class BootstrapAdmin {

    private final BootstrapAdminConfig config;
    private final AdminService admin;
    private final Users users;

    public BootstrapAdmin(BootstrapAdminConfig config, AdminService admin, Users users) {
        this.users = users;
        this.config = config;
        this.admin = admin;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (config.username().isEmpty() || config.password().isEmpty()) {
            return;
        }
        String username = config.username().get();
        if (!username.matches(Inputs.USERNAME)) {
            // Such an administrator could never log in: the login takes only names of this rule.
            throw new IllegalStateException("BOOTSTRAP_ADMIN_USERNAME must have " + Inputs.USERNAME_RULE);
        }
        VertxContextSupport.subscribeAndAwait(() -> Db.session(() -> users.count())
                .flatMap(count -> count > 0 ? Uni.createFrom().voidItem()
                        : admin.createUser(username, config.password().get(), List.of(), true, null)
                                .invoke(u -> Log.infof("Created the bootstrap administrator '%s'", username))
                                .replaceWithVoid())
                // Another replica created it first.
                .onFailure(e -> DatabaseFailures.isUniqueViolation(e)
                        || e instanceof io.accountsecurity.problem.ProblemException)
                .recoverWithNull());
    }
}
