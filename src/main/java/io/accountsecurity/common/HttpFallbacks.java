package io.accountsecurity.common;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Problem documents for what never reaches a resource: unknown paths (404) and bodies over the limit (413), which
 * Vert.x answers before RESTEasy sees the request.
 */
@Singleton
public class HttpFallbacks {

    void routes(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(ctx -> send(ctx,
                Problem.of(ProblemType.NOT_FOUND, "No such resource.")));
    }

    void bodyLimit(@Observes Filters filters) {
        filters.register(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() == 413 && ctx.response().headers().get("Content-Type") == null) {
                    ctx.response().putHeader("Content-Type", Problem.MEDIA_TYPE);
                }
            });
            ctx.next();
        }, 100);
    }

    private static void send(RoutingContext ctx, Problem problem) {
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(java.util.Map.of("type", problem.type(), "title", problem.title(),
                        "status", problem.status(), "detail", problem.detail())));
    }
}
