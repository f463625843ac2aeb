package io.accountsecurity.admin;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.account.Amr;
import io.accountsecurity.events.EventView;
import io.accountsecurity.security.Accepts;
import io.accountsecurity.security.CurrentToken;
import io.accountsecurity.security.RecentLogin;
import io.accountsecurity.token.TokenIssuer;
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
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/admin")
@Tag(name = "Administration")
@SecurityRequirement(name = "bearer")
@Accepts(value = TokenUse.ACCESS, group = TokenIssuer.ADMIN_GROUP, amr = Amr.OTP)
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
            @NotNull @Size(max = Inputs.MAX_NEW_PASSWORD_INPUT)
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
    private final AuditTrail audit;
    private final Directory directory;
    private final CurrentToken token;

    public AdminResource(AdminService admin, AuditTrail audit, Directory directory, CurrentToken token) {
        this.admin = admin;
        this.directory = directory;
        this.audit = audit;
        this.token = token;
    }

    @POST
    @Path("/communities")
    @Operation(operationId = "createCommunity", summary = "Create a community", description = "managed_by names the MSSP community that manages it, or "
            + "null. Management is one level deep: managed_by must name a community that is not itself managed.")
    @APIResponse(responseCode = "400", description = "invalid-request (also: managed_by names no community, or a "
            + "community that is itself managed)")
    @APIResponse(responseCode = "403", description = "forbidden: not a platform administrator")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CommunityView.class)))
    public Uni<Response> createCommunity(@Valid @NotNull CommunityRequest body) {
        return admin.createCommunity(body.name(), body.managedBy(), actor()).map(c -> Response.status(201)
                .entity(new CommunityView(c.id, c.name, c.managedBy)).build());
    }

    @POST
    @Path("/users")
    @Operation(operationId = "createUser", summary = "Create a user with memberships",
            description = "Usernames: 3 to 64 of A-Z a-z 0-9 . _ @ -, unique without regard to case. Passwords: NIST SP 800-63B's "
                    + "rule: 12 to 256 characters after NFKC, not the username, not common or easily guessed (400 "
                    + "weak-password, with a detail that says what to change). Roles: upper-case names such as COMMUNITY_WRITE_ROLE.")
    @APIResponse(responseCode = "400", description = "invalid-request")
    @APIResponse(responseCode = "409", description = "username-taken")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = UserView.class)))
    public Uni<Response> createUser(@Valid @NotNull UserRequest body) {
        List<AdminService.NewMembership> memberships = body.memberships() == null ? List.of()
                : body.memberships().stream()
                        .map(m -> new AdminService.NewMembership(m.communityId(), m.roles())).toList();
        return admin.createUser(body.username(), body.password(), memberships, false, actor())
                .map(u -> Response.status(201).entity(new UserView(u.id, u.username)).build());
    }

    @PUT
    @Path("/communities/{id}/members/{user_id}")
    @Operation(operationId = "setMemberRoles",
            summary = "Set a member's roles in a community (adds the membership if needed)")
    @APIResponse(responseCode = "200", description = "The membership")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<MembershipView> setRoles(@PathParam("id") String communityId, @PathParam("user_id") String userId,
            @Valid @NotNull RolesRequest body) {
        return admin.setRoles(UuidParam.parse("id", communityId), UuidParam.parse("user_id", userId), body.roles(),
                actor())
                .map(m -> new MembershipView(m.communityId, m.userId, Arrays.asList(m.roles)));
    }

    @DELETE
    @Path("/users/{user_id}/two-factor")
    @Operation(operationId = "resetTwoFactor", summary = "Reset a user's 2FA (lost device and codes)",
            description = "Removes the secret and backup codes and revokes the user's tokens; the next login follows "
                    + "the community rules (enrollment when required). Recorded as a security event.")
    @RecentLogin
    @APIResponse(responseCode = "204", description = "Reset")
    @APIResponse(responseCode = "403", description = "reauthentication-required: the login is older than 15 minutes")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<Response> resetTwoFactor(@PathParam("user_id") String userId) {
        return admin.resetTwoFactor(UuidParam.parse("user_id", userId), actor())
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/audit-events")
    @Operation(operationId = "listAuditEvents", summary = "The administrators' audit trail, newest first",
            description = "Every change an administrator made (USER_CREATED, ROLES_CHANGED, TWO_FACTOR_RESET, "
                    + "COMMUNITY_CREATED), with the administrator, the target, the time and the client address; kept "
                    + "when the target is deleted. Pages of limit (1-200, default 50) entries; next_cursor, when not "
                    + "null, is passed back as cursor for the next page.")
    @APIResponse(responseCode = "200", description = "A page of the trail")
    @APIResponse(responseCode = "400", description = "invalid-request: limit outside 1..200, or a cursor this service did "
            + "not give")
    public Uni<AuditTrail.Page> auditEvents(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int max = EventView.limit(limit);
        return audit.page(max, cursor);
    }

    public record ActiveRequest(@NotNull Boolean active) {
    }

    @GET
    @Path("/users")
    @Operation(operationId = "listUsers", summary = "Users, ordered by username, a page at a time",
            description = "search matches a part of the username, case-insensitively. Pages of limit (1-200, default "
                    + "50) users; next_cursor, when not null, is passed back as cursor for the next page.")
    @APIResponse(responseCode = "200", description = "A page of users")
    @APIResponse(responseCode = "400", description = "invalid-request: limit outside 1..200, search longer than 64 "
            + "characters, or a cursor this service did not give")
    public Uni<Directory.Page<Directory.UserItem>> listUsers(@QueryParam("search") String search,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return directory.users(search(search), EventView.limit(limit), cursor);
    }

    @GET
    @Path("/users/{user_id}")
    @Operation(operationId = "getUser", summary = "One user, as the list shows it")
    @APIResponse(responseCode = "200", description = "The user")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<Directory.UserItem> getUser(@PathParam("user_id") String userId) {
        return directory.user(UuidParam.parse("user_id", userId)).map(AdminResource::found);
    }

    @PATCH
    @Path("/users/{user_id}")
    @RecentLogin
    @Operation(operationId = "setUserActive", summary = "Deactivate or reactivate a user",
            description = "A deactivated user's login answers exactly like a wrong password, and every session and "
                    + "token of the user ends at once; {\"active\": true} restores access. Needs a login at most 15 "
                    + "minutes old. Recorded in the audit trail.")
    @APIResponse(responseCode = "200", description = "The user")
    @APIResponse(responseCode = "404", description = "not-found")
    @APIResponse(responseCode = "409", description = "last-administrator: it would leave no active platform "
            + "administrator")
    public Uni<Directory.UserItem> setActive(@PathParam("user_id") String userId, @Valid @NotNull ActiveRequest body) {
        UUID id = UuidParam.parse("user_id", userId);
        return admin.setActive(id, body.active(), actor()).flatMap(v -> directory.user(id))
                .map(AdminResource::found);
    }

    @DELETE
    @Path("/users/{user_id}")
    @RecentLogin
    @Operation(operationId = "deleteUser", summary = "Delete a user, their memberships, factors and sessions",
            description = "Needs a login at most 15 minutes old. The audit trail keeps the record.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "not-found")
    @APIResponse(responseCode = "409", description = "last-administrator: it would leave no active platform "
            + "administrator")
    public Uni<Response> deleteUser(@PathParam("user_id") String userId) {
        return admin.deleteUser(UuidParam.parse("user_id", userId), actor())
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/communities")
    @Operation(operationId = "listCommunities", summary = "Communities, ordered by name, a page at a time",
            description = "search matches a part of the name, case-insensitively; paged as the users are.")
    @APIResponse(responseCode = "200", description = "A page of communities")
    @APIResponse(responseCode = "400", description = "invalid-request")
    public Uni<Directory.Page<Directory.CommunityItem>> listCommunities(@QueryParam("search") String search,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return directory.communities(search(search), EventView.limit(limit), cursor);
    }

    @DELETE
    @Path("/communities/{id}/members/{user_id}")
    @Operation(operationId = "removeMember", summary = "Remove a user from a community")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "not-found: no such membership")
    public Uni<Response> removeMember(@PathParam("id") String communityId, @PathParam("user_id") String userId) {
        return admin.removeMembership(UuidParam.parse("id", communityId), UuidParam.parse("user_id", userId),
                actor()).map(v -> Response.noContent().build());
    }

    private static Directory.UserItem found(Directory.UserItem user) {
        if (user == null) {
            throw new io.accountsecurity.problem.ProblemException(io.accountsecurity.problem.ProblemType.NOT_FOUND,
                    "No such user.");
        }
        return user;
    }

    private static String search(String search) {
        if (search != null && (search.length() > Inputs.MAX_NAME || !search.matches(Inputs.NO_CONTROL))) {
            throw new io.accountsecurity.problem.ProblemException(io.accountsecurity.problem.Problem.invalid(
                    "search is too long or has control characters.", List.of(new io.accountsecurity.problem.Problem
                            .FieldError("search", "at most " + Inputs.MAX_NAME + " printable characters"))), null);
        }
        return search;
    }

    private AuditTrail.Actor actor() {
        var jwt = token.get();
        return new AuditTrail.Actor(UUID.fromString(jwt.getSubject()), jwt.getName(), token.clientAddress());
    }
}
