package io.accountsecurity.login;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.account.Caller;
import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.security.Accepts;
import io.accountsecurity.security.CurrentToken;
import io.accountsecurity.session.Sessions;
import io.accountsecurity.token.TokenIssuer;
import io.accountsecurity.token.TokenUse;
import io.accountsecurity.web.ClientAddresses;
import io.accountsecurity.web.Inputs;
import io.accountsecurity.web.Public;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/auth")
@Tag(name = "Login")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    public record LoginRequest(
            // The rule of created usernames: any other name is refused before a database read or a hash.
            @NotNull @Pattern(regexp = Inputs.USERNAME, message = Inputs.USERNAME_RULE) String username,
            @NotBlank @Size(max = Inputs.MAX_PASSWORD) String password) {
    }

    public record VerifyRequest(
            @Size(max = Inputs.MAX_CODE) @Pattern(regexp = Inputs.NO_CONTROL) String code,
            @Size(max = Inputs.MAX_CODE) @Pattern(regexp = Inputs.NO_CONTROL) String backupCode) {
    }

    private final LoginService logins;
    private final Sessions sessions;
    private final TokenIssuer tokens;
    private final ClientAddresses clientAddresses;
    private final CurrentToken token;
    private final LoginAdmission admission;

    public AuthResource(LoginService logins, Sessions sessions, TokenIssuer tokens, ClientAddresses clientAddresses,
            CurrentToken token, LoginAdmission admission) {
        this.admission = admission;
        this.logins = logins;
        this.sessions = sessions;
        this.tokens = tokens;
        this.clientAddresses = clientAddresses;
        this.token = token;
    }

    @POST
    @Path("/login")
    @Public
    @SecurityRequirementsSet({})
    @Operation(operationId = "login", summary = "Password step",
            description = "Answers AUTHENTICATED (2FA off and not required), MFA_REQUIRED with an mfa token (2FA on), or "
                    + "MFA_ENROLLMENT_REQUIRED with an enrollment token (2FA off but required by a community). A wrong "
                    + "password and an unknown username give the same 401 in about the same time. After 10 consecutive "
                    + "wrong passwords for one account from one client address, that pair is locked (429, Retry-After). "
                    + "Attempts of one pair still being checked count toward the 10: beyond them, 429 with Retry-After: 1. "
                    + "A username that breaks the rule of created usernames (3 to 64 characters: letters, digits and "
                    + ". _ @ -) is 400 invalid-request, answered before any database or hashing work.")
    @APIResponse(responseCode = "200", description = "The next step")
    @APIResponse(responseCode = "400", description = "invalid-request")
    @APIResponse(responseCode = "401", description = "invalid-credentials")
    @APIResponse(responseCode = "429", description = "too-many-attempts")
    @APIResponse(responseCode = "503", description = "service-unavailable, with Retry-After: more logins arrive than "
            + "the service can check in time (refused at once, before the body is read), or the database cannot be "
            + "reached")
    public Uni<LoginResult> login(@Valid @NotNull LoginRequest body, RoutingContext exchange) {
        LoginAdmission.Admitted admitted = admission.admitted(exchange);
        return logins.passwordStep(body.username(), body.password(), admitted.clientAddress(),
                exchange.request().getHeader("User-Agent"), admitted.place());
    }

    @POST
    @Path("/login/verify")
    @Accepts(TokenUse.MFA)
    @SecurityRequirement(name = "bearer")
    @RequestBody(description = "Exactly one of code (6 digits from the authenticator app) or backup_code.")
    @Operation(operationId = "verifyLogin", summary = "Second step: a TOTP code or a backup code",
            description = "Takes the mfa token of the password step. A TOTP code is accepted for the current 30-second "
                    + "step and one step either side, once per step; a backup code once. After 5 consecutive wrong codes "
                    + "the account is locked (429, Retry-After), for longer at each further lockout.")
    @APIResponse(responseCode = "200", description = "AUTHENTICATED, with backup_codes_remaining")
    @APIResponse(responseCode = "400", description = "invalid-request: neither or both of code and backup_code")
    @APIResponse(responseCode = "401", description = "invalid-code, or unauthorized (no valid mfa token)")
    @APIResponse(responseCode = "429", description = "too-many-attempts")
    public Uni<LoginResult> verify(@Valid @NotNull VerifyRequest body, HttpServerRequest request) {
        if ((body.code() == null) == (body.backupCode() == null)) {
            throw new ProblemException(Problem.invalid("Give exactly one of code or backup_code.", java.util.List.of(
                    new Problem.FieldError("code", "exactly one of code or backup_code is required"))), null);
        }
        return logins.secondStep(token.caller(), body.code(), body.backupCode(),
                request.getHeader("User-Agent"));
    }

    public record RefreshRequest(@NotBlank @Size(max = 128) String refreshToken) {
    }

    @POST
    @Path("/refresh")
    @Public
    @SecurityRequirementsSet({})
    @Operation(operationId = "refresh", summary = "Exchange a refresh token for new access and refresh tokens",
            description = "Takes no Authorization header. Refresh tokens rotate: each is accepted once and the answer "
                    + "carries the next one. Presenting one that was already exchanged ends the whole session (one of "
                    + "its two holders is a thief) and is recorded as REFRESH_TOKEN_REUSED; of concurrent refreshes of "
                    + "one token, one succeeds. The amr and auth_time are the session's login's. A session ends 30 "
                    + "minutes after its last refresh and 12 hours after its login (configurable).")
    @APIResponse(responseCode = "200", description = "AUTHENTICATED, with the next refresh token")
    @APIResponse(responseCode = "400", description = "invalid-request: no refresh_token, or longer than 128 characters")
    @APIResponse(responseCode = "401", description = "invalid-refresh-token: unknown, expired, exchanged or revoked, or "
            + "its user deactivated")
    @APIResponse(responseCode = "403", description = "two-factor-enrollment-required: a community now requires 2FA; "
            + "log in again to enroll")
    public Uni<LoginResult> refresh(@Valid @NotNull RefreshRequest body, HttpServerRequest request) {
        return sessions.refresh(body.refreshToken(), clientAddresses.of(request)).map(refreshed -> LoginResult
                .authenticated(tokens.access(refreshed.subject(), refreshed.session().amr(), refreshed.session().id(),
                        refreshed.session().authTime()), refreshed.session(), null));
    }

    @POST
    @Path("/logout")
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "logout", summary = "End the caller's session",
            description = "Its refresh token stops working at once, and so do its access tokens at this service. Other "
                    + "services, which verify access tokens offline, accept them until they expire (at most 15 "
                    + "minutes).")
    @APIResponse(responseCode = "204", description = "Signed out")
    @APIResponse(responseCode = "401", description = "unauthorized")
    public Uni<Response> logout() {
        Caller caller = token.caller();
        return sessions.end(caller.userId(), caller.sessionId()).map(v -> Response.noContent().build());
    }
}
