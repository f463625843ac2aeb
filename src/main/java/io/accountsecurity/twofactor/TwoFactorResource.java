package io.accountsecurity.twofactor;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.security.Accepts;
import io.accountsecurity.security.CurrentToken;
import io.accountsecurity.token.TokenIssuer;
import io.accountsecurity.token.TokenUse;
import io.accountsecurity.web.Inputs;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/me/two-factor")
@Tag(name = "My account")
@SecurityRequirement(name = "bearer")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TwoFactorResource {

    public record PasswordRequest(@NotBlank @Size(max = Inputs.MAX_PASSWORD) String password) {
    }

    public record ConfirmRequest(
            @NotBlank @Size(max = Inputs.MAX_CODE) @Pattern(regexp = Inputs.NO_CONTROL) String code) {
    }

    public record EnrollmentView(String secret, String otpauthUri, String qrCode, Instant expiresAt) {
    }

    public record ConfirmationView(boolean enabled, List<String> backupCodes, String accessToken, String tokenType,
            long expiresIn, List<String> amr, String refreshToken, long refreshExpiresIn, java.util.UUID sessionId) {
}

    public record BackupCodesView(List<String> backupCodes, Instant generatedAt) {
    }

    private final TwoFactorService twoFactor;
    private final TokenIssuer tokens;
    private final CurrentToken token;

    public TwoFactorResource(TwoFactorService twoFactor, TokenIssuer tokens,
            CurrentToken token) {
        this.twoFactor = twoFactor;
        this.tokens = tokens;
        this.token = token;
    }

    @POST
    @Path("/enrollment")
    @Accepts({ TokenUse.ACCESS, TokenUse.ENROLLMENT })
    @Operation(operationId = "startEnrollment", summary = "Start (or restart) a 2FA enrollment",
            description = "Needs the password. Answers a fresh 160-bit secret (base32), its otpauth:// URI and the QR "
                    + "code (PNG data URI) that encodes it. The enrollment waits 10 minutes for its confirmation; "
                    + "starting again replaces it. Takes an access or an enrollment token.")
    @APIResponse(responseCode = "201", description = "The pending enrollment",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnrollmentView.class)))
    @APIResponse(responseCode = "401", description = "invalid-credentials")
    @APIResponse(responseCode = "409", description = "two-factor-already-enabled")
    @APIResponse(responseCode = "429", description = "too-many-attempts")
    public Uni<Response> start(@Valid @NotNull PasswordRequest body) {
        return twoFactor.startEnrollment(token.caller(), body.password())
                .map(e -> Response.status(201).entity(new EnrollmentView(e.secret(), e.otpauthUri(),
                        "data:image/png;base64," + Base64.getEncoder().encodeToString(e.qrPng()), e.expiresAt()))
                        .build());
    }

    @GET
    @Path("/enrollment/qr-code")
    @Produces("image/png")
    @Accepts({ TokenUse.ACCESS, TokenUse.ENROLLMENT })
    @Operation(operationId = "getEnrollmentQrCode", summary = "The pending enrollment's QR code as a PNG image")
    @APIResponse(responseCode = "200", description = "The QR code",
            content = @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "no-pending-enrollment")
    public Uni<Response> qrCode() {
        return twoFactor.pendingQrCode(token.caller())
                .map(png -> Response.ok(png, "image/png").build());
    }

    @POST
    @Path("/enrollment/confirm")
    @Accepts({ TokenUse.ACCESS, TokenUse.ENROLLMENT })
    @Operation(operationId = "confirmEnrollment", summary = "Confirm the enrollment with a code from the app",
            description = "Turns 2FA on, answers the 10 backup codes (shown this once) and, as a login would, an "
                    + "access token whose amr is [pwd, otp] with the refresh token of a new session; every other "
                    + "session of the user ends but the caller's. Wrong codes count toward the second-factor lockout.")
    @APIResponse(responseCode = "200", description = "2FA enabled")
    @APIResponse(responseCode = "401", description = "invalid-code")
    @APIResponse(responseCode = "404", description = "no-pending-enrollment")
    @APIResponse(responseCode = "409", description = "two-factor-already-enabled")
    @APIResponse(responseCode = "429", description = "too-many-attempts")
    public Uni<ConfirmationView> confirm(@Valid @NotNull ConfirmRequest body, HttpServerRequest request) {
        return twoFactor.confirm(token.caller(), body.code(), request.getHeader("User-Agent")).map(confirmed -> {
            var session = confirmed.session();
            var access = tokens.access(confirmed.user().subject(), session.amr(), session.id(), session.authTime());
            return new ConfirmationView(true, confirmed.backupCodes(), access.token(), "Bearer", access.expiresIn(),
                    session.amr(), session.refreshToken(), session.refreshExpiresIn(), session.id());
        });
    }

    @POST
    @Path("/backup-codes")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    @Operation(operationId = "regenerateBackupCodes", summary = "Generate 10 new backup codes; all earlier ones stop working",
            description = "Needs the password. With Accept: text/plain the codes come as a downloadable text file "
                    + "(backup-codes.txt), one code a line.")
    @APIResponse(responseCode = "201", description = "The new codes", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BackupCodesView.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING,
                    description = "backup-codes.txt: one code a line")) })
    @APIResponse(responseCode = "401", description = "invalid-credentials")
    @APIResponse(responseCode = "409", description = "two-factor-not-enabled")
    public Uni<Response> regenerate(@Valid @NotNull PasswordRequest body, @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        return twoFactor.regenerateBackupCodes(token.caller(), body.password()).map(generated -> {
            if (accept != null && accept.contains(MediaType.TEXT_PLAIN) && !accept.contains(MediaType.APPLICATION_JSON)) {
                return Response.status(201).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                        .header("Content-Disposition", "attachment; filename=\"backup-codes.txt\"")
                        .entity(String.join("\n", generated.codes()) + "\n").build();
            }
            return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new BackupCodesView(generated.codes(), generated.generatedAt())).build();
        });
    }

    @POST
    @Path("/disable")
    @Operation(operationId = "disableTwoFactor", summary = "Turn 2FA off",
            description = "Needs the password. Removes the secret and the backup codes. Refused (409 "
                    + "two-factor-enforced, with required_by) while a community of the caller requires 2FA. Every other "
                    + "session of the caller ends; this one goes on.")
    @APIResponse(responseCode = "204", description = "2FA disabled")
    @APIResponse(responseCode = "401", description = "invalid-credentials")
    @APIResponse(responseCode = "409", description = "two-factor-not-enabled or two-factor-enforced")
    public Uni<Response> disable(@Valid @NotNull PasswordRequest body) {
        return twoFactor.disable(token.caller(), body.password()).map(v -> Response.noContent().build());
    }

}
