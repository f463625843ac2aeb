package io.accountsecurity.user;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.common.ClientAddresses;
import io.accountsecurity.common.Db;
import io.accountsecurity.events.EventView;
import io.accountsecurity.events.SecurityEvent;
import io.accountsecurity.token.Accepts;
import io.accountsecurity.token.CurrentToken;
import io.accountsecurity.token.TokenUse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/me")
@Tag(name = "My account")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CurrentToken token;
    private final ClientAddresses clientAddresses;
    private final AccountOverview overview;

    public MeResource(CurrentToken token, ClientAddresses clientAddresses, AccountOverview overview) {
        this.token = token;
        this.clientAddresses = clientAddresses;
        this.overview = overview;
    }

    @GET
    @Accepts({ TokenUse.ACCESS, TokenUse.ENROLLMENT })
    @Operation(summary = "The caller's account, communities and 2FA state",
            description = "Takes an access token or an enrollment token.")
    @APIResponse(responseCode = "200", description = "The account")
    @APIResponse(responseCode = "401", description = "unauthorized")
    public Uni<AccountOverview.MeView> me(HttpServerRequest request) {
        return overview.of(Caller.of(token.get(), clientAddresses.of(request)));
    }

    @GET
    @Path("/security-events")
    @Operation(summary = "The caller's most recent security events, newest first")
    @APIResponse(responseCode = "200", description = "The events")
    @APIResponse(responseCode = "400", description = "invalid-request: limit outside 1..200")
    @APIResponse(responseCode = "401", description = "unauthorized")
    public Uni<List<EventView>> securityEvents(@QueryParam("limit") String limit, HttpServerRequest request) {
        int max = EventView.limit(limit);
        Caller caller = Caller.of(token.get(), clientAddresses.of(request));
        return Db.session(() -> caller.account().flatMap(user -> SecurityEvent
                .<SecurityEvent>find("userId = ?1 order by at desc", user.id)
                .page(0, max).list()))
                .map(events -> events.stream().map(e -> EventView.of(e)).toList());
    }
}
