package io.accountsecurity.resilience;

import java.net.URI;
import java.util.Map;

import io.accountsecurity.devdb.EmbeddedPostgresConfigSourceFactory;
import io.accountsecurity.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Routes the service's database connections through a proxy that the outage test cuts and restores. */
public class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {

    static TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        String configured = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        String host = "127.0.0.1";
        int port;
        String database = "postgres";
        if (configured != null && !configured.isBlank()) {
            URI uri = URI.create(configured.replaceFirst("^vertx-reactive:", ""));
            host = uri.getHost();
            port = uri.getPort() > 0 ? uri.getPort() : 5432;
            database = uri.getPath().replaceFirst("^/", "");
        } else {
            port = EmbeddedPostgresConfigSourceFactory.testDatabasePort();
        }
        try {
            proxy = new TcpProxy(host, port).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String user = System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
        String password = System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/" + database,
                "quarkus.datasource.username", user, "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (java.io.IOException ignored) {
            // the test is over
        }
    }
}
