package io.accountsecurity.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code Cache-Control: no-store} on every answer under {@code /api/}: tokens, TOTP secrets, QR codes and backup codes
 * are all answered there, so no browser or proxy keeps a copy. The JWK Set (public keys) stays cacheable.
 */
@Singleton
public class NoStore {

    static final String API = "/api/";

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            if (ctx.normalizedPath().startsWith(API)) {
                ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-store"));
            }
            ctx.next();
        }, 90);
    }
}
