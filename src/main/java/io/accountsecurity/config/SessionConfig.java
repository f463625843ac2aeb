package io.accountsecurity.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sign-in sessions (NIST SP 800-63B at AAL2); env {@code SESSIONS_IDLE_TIMEOUT}, {@code SESSIONS_ABSOLUTE_LIFETIME}. */
@ConfigMapping(prefix = "sessions")
public interface SessionConfig {

    /** A session ends this long after its last refresh. */
    @WithDefault("PT30M")
    Duration idleTimeout();

    /** A session ends this long after its login, however often it is refreshed. */
    @WithDefault("PT12H")
    Duration absoluteLifetime();

    /** Ended sessions are deleted this long after they ended (the sessions list shows live ones only). */
    @WithDefault("P7D")
    Duration keepEnded();
}
