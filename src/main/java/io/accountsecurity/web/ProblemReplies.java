package io.accountsecurity.web;

import java.util.Map;

import io.accountsecurity.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/** Problem documents answered from a Vert.x route, for requests refused before they reach a resource. */
public final class ProblemReplies {

    private ProblemReplies() {
    }

    /** Answers the problem (its type, title, status and detail) and ends the exchange. */
    public static void send(RoutingContext ctx, Problem problem) {
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(Map.of("type", problem.type(), "title", problem.title(), "status", problem.status(),
                        "detail", problem.detail())));
    }

    /**
     * Answers the problem once the request's body has arrived, dropping the body unread, so that the connection stays
     * usable for the client's next request.
     */
    public static void sendAfterBody(RoutingContext ctx, Problem problem) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            send(ctx, problem);
            return;
        }
        request.handler(ignored -> {
        });
        request.endHandler(v -> send(ctx, problem));
        request.exceptionHandler(e -> request.connection().close());
        request.resume();
    }
}
