package io.accountsecurity.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Security headers of the web app's pages and assets: a Content-Security-Policy that allows only the app's own files
 * (no inline script or style; images also as data: URLs, for the QR code), no framing, no referrer, no sniffing.
 * Swagger UI keeps its own headers: it needs inline script.
 */
@Singleton
public class PageHeaders {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            String path = ctx.normalizedPath();
            if (path.equals("/") || path.equals("/index.html") || path.startsWith("/app/")) {
                ctx.addHeadersEndHandler(v -> ctx.response().headers()
                        .set("Content-Security-Policy", POLICY)
                        .set("Referrer-Policy", "no-referrer")
                        .set("X-Content-Type-Options", "nosniff")
                        .set("X-Frame-Options", "DENY"));
            }
            ctx.next();
        }, 80);
    }
}
