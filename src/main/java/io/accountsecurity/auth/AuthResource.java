package io.accountsecurity.auth;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.common.ClientAddresses;
import io.accountsecurity.common.Inputs;
import io.accountsecurity.common.Problem;
import io.accountsecurity.common.ProblemException;
import io.accountsecurity.common.Public;
import io.accountsecurity.token.Accepts;
import io.accountsecurity.token.CurrentToken;
import io.accountsecurity.token.TokenUse;
import io.accountsecurity.user.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
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
    private final ClientAddresses clientAddresses;
    private final CurrentToken token;

    public AuthResource(LoginService logins, ClientAddresses clientAddresses, CurrentToken token) {
        this.logins = logins;
        this.clientAddresses = clientAddresses;
        this.token = token;
    }

    @POST
    @Path("/login")
    @Public
    @Operation(summary = "Password step",
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
    public Uni<LoginResult> login(@Valid @NotNull LoginRequest body, HttpServerRequest request) {
        return logins.passwordStep(body.username(), body.password(), clientAddresses.of(request));
    }

    @POST
    @Path("/login/verify")
    @Accepts(TokenUse.MFA)
    @SecurityRequirement(name = "bearer")
    @RequestBody(description = "Exactly one of code (6 digits from the authenticator app) or backup_code.")
    @Operation(summary = "Second step: a TOTP code or a backup code",
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
        return logins.secondStep(Caller.of(token.get(), clientAddresses.of(request)), body.code(), body.backupCode());
    }
}
