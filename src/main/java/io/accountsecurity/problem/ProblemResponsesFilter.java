package io.accountsecurity.problem;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents every 4xx and 5xx answer as an RFC 9457 problem document, and adds the answers every endpoint may give
 * (400 for a malformed request, 503 when the database is unreachable).
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Schema fieldError = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .properties(Map.of("field", string("The bad field, in snake_case"),
                        "message", string("What is wrong with it")));
        Schema problem = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem document. type is one of /problems/invalid-request, "
                        + "invalid-credentials, invalid-code, too-many-attempts, unauthorized, forbidden, not-found, "
                        + "no-pending-enrollment, two-factor-already-enabled, two-factor-not-enabled, "
                        + "two-factor-enforced, two-factor-required-for-action, username-taken, service-unavailable.")
                .properties(Map.of(
                        "type", string("A relative URI reference such as /problems/invalid-code"),
                        "title", string("A short summary of the problem type"),
                        "status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)),
                        "detail", string("What happened, for people"),
                        "errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(fieldError)
                                .description("invalid-request only: each bad field"),
                        "required_by", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                                .description("two-factor-enforced only: the communities that require 2FA")));
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problem);
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                .forEach(ProblemResponsesFilter::document));
    }

    private static void document(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        if (operation.getResponses().getAPIResponse("400") == null) {
            operation.getResponses().addAPIResponse("400", OASFactory.createAPIResponse()
                    .description("invalid-request: a malformed body, a wrong type, a missing or too long field"));
        }
        if (operation.getResponses().getAPIResponse("503") == null) {
            operation.getResponses().addAPIResponse("503", OASFactory.createAPIResponse()
                    .description("service-unavailable: the database cannot be reached"));
        }
        operation.getResponses().getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                problemContent(response);
            }
        });
    }

    private static void problemContent(APIResponse response) {
        response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF))));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
