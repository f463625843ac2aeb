package io.accountsecurity.user;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.common.ClientAddresses;
import io.accountsecurity.community.Community;
import io.accountsecurity.community.CommunityRef;
import io.accountsecurity.community.Policies;
import io.accountsecurity.events.EventView;
import io.accountsecurity.events.SecurityEvent;
import io.accountsecurity.token.Accepts;
import io.accountsecurity.token.CurrentToken;
import io.accountsecurity.token.TokenUse;
import io.accountsecurity.twofactor.BackupCode;
import io.accountsecurity.twofactor.TotpCredential;
import io.quarkus.hibernate.reactive.panache.Panache;
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

    public record MembershipView(UUID id, String name, List<String> roles) {
    }

    public record TwoFactorView(boolean enabled, Instant enabledAt, long backupCodesRemaining,
            List<CommunityRef> requiredBy) {
    }

    public record MeView(UUID id, String username, List<MembershipView> communities, TwoFactorView twoFactor) {
    }

    private final CurrentToken token;
    private final ClientAddresses clientAddresses;
    private final Policies policies;

    public MeResource(CurrentToken token, ClientAddresses clientAddresses, Policies policies) {
        this.token = token;
        this.clientAddresses = clientAddresses;
        this.policies = policies;
    }

    @GET
    @Accepts({ TokenUse.ACCESS, TokenUse.ENROLLMENT })
    @Operation(summary = "The caller's account, communities and 2FA state",
            description = "Takes an access token or an enrollment token.")
    @APIResponse(responseCode = "200", description = "The account")
    @APIResponse(responseCode = "401", description = "unauthorized")
    public Uni<MeView> me(HttpServerRequest request) {
        Caller caller = Caller.of(token.get(), clientAddresses.of(request));
        return Panache.withSession(() -> caller.account().flatMap(user -> Membership
                .<Membership>list("userId = ?1", user.id)
                .flatMap(memberships -> communities(memberships).flatMap(byId -> TotpCredential
                        .<TotpCredential>findById(user.id)
                        .flatMap(totp -> BackupCode.count("userId = ?1 and usedAt is null", user.id)
                                .flatMap(remaining -> policies.requiringTwoFactor(user.id)
                                        .map(requiredBy -> new MeView(user.id, user.username,
                                                memberships.stream()
                                                        .map(m -> new MembershipView(m.communityId,
                                                                byId.get(m.communityId).name,
                                                                Arrays.asList(m.roles)))
                                                        .toList(),
                                                new TwoFactorView(totp != null && totp.enabled(),
                                                        totp != null ? totp.enabledAt : null,
                                                        totp != null && totp.enabled() ? remaining : 0,
                                                        requiredBy)))))))));
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
        return Panache.withSession(() -> caller.account().flatMap(user -> SecurityEvent
                .<SecurityEvent>find("userId = ?1 order by at desc", user.id)
                .page(0, max).list()))
                .map(events -> events.stream().map(e -> EventView.of(e, null)).toList());
    }

    private static Uni<Map<UUID, Community>> communities(List<Membership> memberships) {
        if (memberships.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Community.<Community>list("id in ?1", memberships.stream().map(m -> m.communityId).toList())
                .map(list -> list.stream().collect(Collectors.toMap(c -> c.id, Function.identity())));
    }
}
