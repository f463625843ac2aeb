package io.accountsecurity.token;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.accountsecurity.web.Public;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

@Path("/.well-known/jwks.json")
@Tag(name = "Tokens")
public class JwksResource {

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Public
    @SecurityRequirementsSet({})
    // RFC 7517's media type first; many HTTP clients ask only for application/json, and get the same document.
    @Produces({ "application/jwk-set+json", "application/json" })
    @Operation(operationId = "getJwks", summary = "The JWK Set that verifies our tokens",
            description = "RFC 7517. Lists the current signing key and any older key still accepted; each key names its "
                    + "algorithm (EdDSA for Ed25519 keys, kty OKP as in RFC 8037; RS256 for RSA keys; ES256 for EC P-256 "
                    + "keys) and its kid (RFC 7638 thumbprint).")
    @APIResponse(responseCode = "200", description = "The JWK Set", content = {
            @Content(mediaType = "application/jwk-set+json", schema = @Schema(implementation = JwkSet.class)),
            @Content(mediaType = "application/json", schema = @Schema(implementation = JwkSet.class)) })
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(keys.jwksJson()).cacheControl(cache).build();
    }

    /** The document's shape, for the OpenAPI description: RFC 7517's keys, public members only. */
    @Schema(name = "JwkSet")
    record JwkSet(java.util.List<java.util.Map<String, String>> keys) {
    }
}
