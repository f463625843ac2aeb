package io.accountsecurity.me;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.account.Caller;
import io.accountsecurity.events.EventView;
import io.accountsecurity.events.SecurityEvent;
import io.accountsecurity.password.PasswordChange;
import io.accountsecurity.security.Accepts;
import io.accountsecurity.security.CurrentToken;
import io.accountsecurity.security.StandingCheckedByEndpoint;
import io.accountsecurity.session.Sessions;
import io.accountsecurity.token.TokenUse;
import io.accountsecurity.web.Inputs;
import io.accountsecurity.web.UuidParam;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/me")
@Tag(name = "My account")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CurrentToken token;
    private final AccountOverview overview;
    private final Sessions sessions;
    private final PasswordChange passwords;

    public MeResource(CurrentToken token, AccountOverview overview,
            Sessions sessions, PasswordChange passwords) {
        this.token = token;
        this.overview = overview;
        this.sessions = sessions;
        this.passwords = passwords;
    }

    public record PasswordChangeRequest(
            @NotBlank @Size(max = Inputs.MAX_PASSWORD) String currentPassword,
            @NotNull @Size(max = Inputs.MAX_NEW_PASSWORD_INPUT) @Pattern(regexp = Inputs.NO_CONTROL) String newPassword) {
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changePassword", summary = "Change the caller's password",
            description = "Needs the current password (a wrong one is 401 invalid-credentials and counts toward the "
                    + "password lockout). The new one follows NIST SP 800-63B: 12 to 256 characters after NFKC, not "
                    + "the username, not common or easily guessed (400 weak-password, whose detail says what to "
                    + "change); no other composition rule. Records PASSWORD_CHANGED and ends every other session of "
                    + "the caller; this one goes on.")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "400", description = "weak-password, or invalid-request")
    @APIResponse(responseCode = "401", description = "invalid-credentials: the current password is wrong")
    @APIResponse(responseCode = "429", description = "too-many-attempts")
    public Uni<Response> changePassword(@Valid @NotNull PasswordChangeRequest body) {
        Caller caller = token.caller();
        return passwords.change(caller, body.currentPassword(), body.newPassword())
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/sessions")
    @Operation(operationId = "listSessions", summary = "The caller's live sessions, newest first",
            description = "One per sign-in on a device; current is true for the session of this request's token.")
    @APIResponse(responseCode = "200", description = "The sessions")
    @APIResponse(responseCode = "401", description = "unauthorized")
    public Uni<List<Sessions.SessionView>> listSessions() {
        Caller caller = token.caller();
        return sessions.list(caller.userId(), caller.sessionId());
    }

    @DELETE
    @Path("/sessions/{id}")
    @Operation(operationId = "endSession", summary = "End one of the caller's sessions",
            description = "Its refresh token stops working at once, and so do its access tokens at this service.")
    @APIResponse(responseCode = "204", description = "Ended")
    @APIResponse(responseCode = "404", description = "not-found: no live session of the caller has this id")
    public Uni<Response> endSession(@PathParam("id") String id) {
        Caller caller = token.caller();
        return sessions.end(caller.userId(), UuidParam.parse("id", id)).map(v -> Response.noContent().build());
    }

    @DELETE
    @Path("/sessions")
    @Operation(operationId = "endOtherSessions", summary = "End every session of the caller but the current one",
            description = "Sign out everywhere else; recorded as SESSIONS_REVOKED when any ended.")
    @APIResponse(responseCode = "204", description = "Ended")
    public Uni<Response> endOtherSessions() {
        Caller caller = token.caller();
        return sessions.endOthers(caller.userId(), caller.sessionId(), caller.clientAddress())
                .map(v -> Response.noContent().build());
    }

    @GET
    @Accepts({ TokenUse.ACCESS, TokenUse.ENROLLMENT })
    @StandingCheckedByEndpoint
    @Operation(operationId = "getMe", summary = "The caller's account, communities and 2FA state",
            description = "Takes an access token or an enrollment token.")
    @APIResponse(responseCode = "200", description = "The account")
    @APIResponse(responseCode = "401", description = "unauthorized")
    public Uni<AccountOverview.MeView> me() {
        return overview.of(token.caller());
    }

    @GET
    @Path("/security-events")
    @Operation(operationId = "listMySecurityEvents", summary = "The caller's most recent security events, newest first")
    @APIResponse(responseCode = "200", description = "The events")
    @APIResponse(responseCode = "400", description = "invalid-request: limit outside 1..200")
    @APIResponse(responseCode = "401", description = "unauthorized")
    public Uni<List<EventView>> securityEvents(@QueryParam("limit") String limit) {
        int max = EventView.limit(limit);
        return overview.recentEvents(token.caller(), max);
    }
}
