package io.accountsecurity.admin;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.common.ClientAddresses;
import io.accountsecurity.common.Inputs;
import io.accountsecurity.common.UuidParam;
import io.accountsecurity.token.Accepts;
import io.accountsecurity.token.CurrentToken;
import io.accountsecurity.token.TokenIssuer;
import io.accountsecurity.token.TokenUse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/admin")
@Tag(name = "Administration")
@SecurityRequirement(name = "bearer")
@Accepts(value = TokenUse.ACCESS, group = TokenIssuer.ADMIN_GROUP)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    public record CommunityRequest(@NotBlank @Size(max = Inputs.MAX_NAME) @Pattern(regexp = Inputs.NO_CONTROL) String name,
            UUID managedBy) {
    }

    public record CommunityView(UUID id, String name, UUID managedBy) {
    }

    public record MembershipRequest(@NotNull UUID communityId,
            @NotNull @Size(max = 16) List<@NotNull @Pattern(regexp = Inputs.ROLE) String> roles) {
    }

    public record UserRequest(
            @NotNull @Pattern(regexp = Inputs.USERNAME, message = Inputs.USERNAME_RULE) String username,
            @NotNull @Size(min = Inputs.MIN_NEW_PASSWORD, max = Inputs.MAX_PASSWORD)
            @Pattern(regexp = Inputs.NO_CONTROL) String password,
            @Size(max = 100) List<@NotNull @Valid MembershipRequest> memberships) {
    }

    public record UserView(UUID id, String username) {
    }

    public record RolesRequest(@NotNull @Size(max = 16) List<@NotNull @Pattern(regexp = Inputs.ROLE) String> roles) {
    }

    public record MembershipView(UUID communityId, UUID userId, List<String> roles) {
    }

    private final AdminService admin;
    private final CurrentToken token;
    private final ClientAddresses clientAddresses;

    public AdminResource(AdminService admin, CurrentToken token, ClientAddresses clientAddresses) {
        this.admin = admin;
        this.token = token;
        this.clientAddresses = clientAddresses;
    }

    @POST
    @Path("/communities")
    @Operation(summary = "Create a community", description = "managed_by names the MSSP community that manages it, or "
            + "null. Management is one level deep: managed_by must name a community that is not itself managed.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "invalid-request (also: managed_by names no community, or a "
            + "community that is itself managed)")
    @APIResponse(responseCode = "403", description = "forbidden: not a platform administrator")
    public Uni<Response> createCommunity(@Valid @NotNull CommunityRequest body) {
        return admin.createCommunity(body.name(), body.managedBy()).map(c -> Response.status(201)
                .entity(new CommunityView(c.id, c.name, c.managedBy)).build());
    }

    @POST
    @Path("/users")
    @Operation(summary = "Create a user with memberships",
            description = "Usernames: 3 to 64 of A-Z a-z 0-9 . _ @ -, unique without regard to case. Passwords: 12 to "
                    + "256 characters. Roles: upper-case names such as COMMUNITY_WRITE_ROLE.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "invalid-request")
    @APIResponse(responseCode = "409", description = "username-taken")
    public Uni<Response> createUser(@Valid @NotNull UserRequest body) {
        List<AdminService.NewMembership> memberships = body.memberships() == null ? List.of()
                : body.memberships().stream()
                        .map(m -> new AdminService.NewMembership(m.communityId(), m.roles())).toList();
        return admin.createUser(body.username(), body.password(), memberships, false)
                .map(u -> Response.status(201).entity(new UserView(u.id, u.username)).build());
    }

    @PUT
    @Path("/communities/{id}/members/{user_id}")
    @Operation(summary = "Set a member's roles in a community (adds the membership if needed)")
    @APIResponse(responseCode = "200", description = "The membership")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<MembershipView> setRoles(@PathParam("id") String communityId, @PathParam("user_id") String userId,
            @Valid @NotNull RolesRequest body) {
        return admin.setRoles(UuidParam.parse("id", communityId), UuidParam.parse("user_id", userId), body.roles())
                .map(m -> new MembershipView(m.communityId, m.userId, Arrays.asList(m.roles)));
    }

    @DELETE
    @Path("/users/{user_id}/two-factor")
    @Operation(summary = "Reset a user's 2FA (lost device and codes)",
            description = "Removes the secret and backup codes and revokes the user's tokens; the next login follows "
                    + "the community rules (enrollment when required). Recorded as a security event.")
    @APIResponse(responseCode = "204", description = "Reset")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<Response> resetTwoFactor(@PathParam("user_id") String userId, HttpServerRequest request) {
        return admin.resetTwoFactor(UuidParam.parse("user_id", userId), UUID.fromString(token.get().getSubject()),
                clientAddresses.of(request)).map(v -> Response.noContent().build());
    }
}
