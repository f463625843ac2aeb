package io.accountsecurity.web;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Problem documents for what never reaches a resource: unknown paths (404) and bodies over the limit (413).
 *
 * <p>Quarkus' own size check (a route of order -2) answers 413 with an empty body and closes the connection while the
 * client is still sending, so the client often sees a reset instead of the answer. This route runs before it: a body
 * whose Content-Length is over the limit is read and dropped, then answered with a problem document on a connection
 * that stays usable. A body beyond {@link #DRAIN_LIMIT} is not worth reading: it is answered at once and the
 * connection closed.
 */
@Singleton
public class HttpFallbacks {

    /** The largest oversized body that is read to its end so that the client can read the 413. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final long maxBodySize;

    public HttpFallbacks(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void routes(@Observes Router router) {
        router.route().order(-3).handler(this::refuseOversizedBody);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> ProblemReplies.send(ctx,
                Problem.of(ProblemType.NOT_FOUND, "No such resource.")));
    }

    private void refuseOversizedBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long length = contentLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (length <= maxBodySize) {
            ctx.next();
            return;
        }
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "The request body has " + length + " bytes; at most " + maxBodySize + " are accepted.");
        if (length > DRAIN_LIMIT || request.isEnded()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ProblemReplies.send(ctx, problem);
            return;
        }
        ProblemReplies.sendAfterBody(ctx, problem);
    }

    /** The declared length, or -1 when there is none (Netty refuses a malformed one before any route). */
    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void bodyLimit(@Observes Filters filters) {
        // A body without Content-Length (chunked) is still measured by Quarkus as it is read: give its 413 our type.
        filters.register(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                if (ctx.response().getStatusCode() == 413 && ctx.response().headers().get("Content-Type") == null) {
                    ctx.response().putHeader("Content-Type", Problem.MEDIA_TYPE);
                }
            });
            ctx.next();
        }, 100);
    }
}
