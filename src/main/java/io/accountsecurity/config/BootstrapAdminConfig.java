package io.accountsecurity.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** The first platform administrator, created at start-up when no user exists. */
@ConfigMapping(prefix = "bootstrap-admin")
public interface BootstrapAdminConfig {

    /** Env {@code BOOTSTRAP_ADMIN_USERNAME}. */
    Optional<String> username();

    /** Env {@code BOOTSTRAP_ADMIN_PASSWORD}. */
    Optional<String> password();
}
