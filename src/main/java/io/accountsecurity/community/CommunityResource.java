package io.accountsecurity.community;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.accountsecurity.account.Community;
import io.accountsecurity.account.CommunityRef;
import io.accountsecurity.account.User;
import io.accountsecurity.events.EventView;
import io.accountsecurity.security.CurrentToken;
import io.accountsecurity.web.Inputs;
import io.accountsecurity.web.UuidParam;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/communities/{id}")
@Tag(name = "Community policy")
@SecurityRequirement(name = "bearer")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CommunityResource {

    public record PolicyRequest(@NotNull Boolean twoFactorRequired,
            @NotBlank @Size(max = Inputs.MAX_PASSWORD) String password, Boolean applyToManaged) {
    }

    public record UserRef(UUID id, String username) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyView(UUID communityId, String name, boolean twoFactorRequired, Instant updatedAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) UserRef updatedBy,
            @JsonInclude(JsonInclude.Include.ALWAYS) Long membersTotal,
            @JsonInclude(JsonInclude.Include.ALWAYS) Long membersWithoutTwoFactor,
            List<CommunityRef> managedUpdated) {
    }

    public record ManagedView(UUID id, String name, boolean twoFactorRequired) {
    }

    private final CommunityService communities;
    private final CurrentToken token;

    public CommunityResource(CommunityService communities, CurrentToken token) {
        this.communities = communities;
        this.token = token;
    }

    @GET
    @Path("/authentication-policy")
    @Operation(operationId = "getAuthenticationPolicy", summary = "The community's 2FA policy",
            description = "For members, and for writers through the MSSP community that manages it. updated_by is "
                    + "{id, username} of the last writer, or null. members_total and members_without_two_factor only "
                    + "for holders of COMMUNITY_WRITE_ROLE (in the community or its MSSP), else null. A caller who is "
                    + "neither gets 404, so the community's existence is not revealed.")
    @APIResponse(responseCode = "200", description = "The policy")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<PolicyView> policy(@PathParam("id") String id) {
        return communities.policy(token.caller(), UuidParam.parse("id", id)).map(CommunityResource::view);
    }

    @PUT
    @Path("/authentication-policy")
    @Operation(operationId = "setAuthenticationPolicy", summary = "Require (or stop requiring) 2FA of every member",
            description = "The caller needs COMMUNITY_WRITE_ROLE in this community or in the MSSP community that manages "
                    + "it (403 forbidden), 2FA enabled and used for this token's login (403 "
                    + "two-factor-required-for-action), and the password (401 invalid-credentials). With "
                    + "apply_to_managed true, an MSSP community applies the change to itself and every community it "
                    + "manages in one transaction, listed in managed_updated. Each change is recorded with who and "
                    + "when, and as a security event.")
    @APIResponse(responseCode = "200", description = "The new policy")
    @APIResponse(responseCode = "401", description = "invalid-credentials")
    @APIResponse(responseCode = "403", description = "forbidden or two-factor-required-for-action")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<PolicyView> change(@PathParam("id") String id, @Valid @NotNull PolicyRequest body) {
        return communities.changePolicy(token.caller(), UuidParam.parse("id", id), body.twoFactorRequired(),
                body.password(), Boolean.TRUE.equals(body.applyToManaged())).map(CommunityResource::view);
    }

    @GET
    @Path("/managed")
    @Operation(operationId = "listManagedCommunities",
            summary = "The communities that this MSSP community manages, with their policy",
            description = "For holders of COMMUNITY_WRITE_ROLE in the MSSP community. An empty list for a community "
                    + "that manages none.")
    @APIResponse(responseCode = "200", description = "The managed communities")
    @APIResponse(responseCode = "403", description = "forbidden")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<List<ManagedView>> managed(@PathParam("id") String id) {
        return communities.managed(token.caller(), UuidParam.parse("id", id))
                .map(list -> list.stream().map(c -> new ManagedView(c.id, c.name, c.twoFactorRequired)).toList());
    }

    @GET
    @Path("/security-events")
    @Operation(operationId = "listCommunitySecurityEvents",
            summary = "The community's policy changes and its members' 2FA events, newest first",
            description = "For holders of COMMUNITY_WRITE_ROLE in this community (403 forbidden otherwise, also for "
                    + "the writers of its MSSP, whose authority over it is its authentication policy). The community's "
                    + "TWO_FACTOR_POLICY_CHANGED events and its members' TWO_FACTOR_ENABLED, TWO_FACTOR_DISABLED and "
                    + "TWO_FACTOR_RESET_BY_ADMIN events: {id, type, at, detail, user: {id, username}}, without "
                    + "client_address. A member's other events, and where they connect from, stay theirs.")
    @APIResponse(responseCode = "200", description = "The events")
    @APIResponse(responseCode = "403", description = "forbidden")
    @APIResponse(responseCode = "404", description = "not-found")
    public Uni<List<CommunityEventView>> events(@PathParam("id") String id, @QueryParam("limit") String limit) {
        int max = EventView.limit(limit);
        return communities.events(token.caller(), UuidParam.parse("id", id), max);
    }


    private static PolicyView view(CommunityService.Policy policy) {
        Community c = policy.community();
        User by = policy.updatedBy();
        return new PolicyView(c.id, c.name, c.twoFactorRequired, c.policyUpdatedAt,
                by == null ? null : new UserRef(by.id, by.username), policy.membersTotal(),
                policy.membersWithoutTwoFactor(), policy.managedUpdated());
    }
}
