package io.accountsecurity.problem;

import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Turns every failure into a problem document. No class name, stack trace or request content reaches a response,
 * and a log line names the failure's class only for the unexpected ones.
 */
public class ProblemMappers {

    /** The Retry-After of a 503 for an unreachable database. */
    static final int DATABASE_RETRY_SECONDS = 5;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = Response.status(e.problem().status()).type(Problem.MEDIA_TYPE)
                .entity(e.problem());
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problem.invalid("The request has invalid fields.", errors).toResponse();
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping);
            String message = e instanceof UnrecognizedPropertyException ? "unknown field"
                    : "wrong type or format";
            return Problem.invalid("The request body does not match the expected shape.",
                    List.of(new Problem.FieldError(field, message))).toResponse();
        }
        return Problem.invalid("The request body is not valid JSON.",
                List.of(new Problem.FieldError("body", "not valid JSON"))).toResponse();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(ProblemType.FORBIDDEN, "This token does not allow this action.").toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        if (e instanceof NotFoundException) {
            return Problem.of(ProblemType.NOT_FOUND, "No such resource.").toResponse();
        }
        if (e instanceof NotAllowedException) {
            return Problem.invalid("This method is not allowed on this resource.", null)
                    .withStatus(405, "Method not allowed").toResponse();
        }
        if (e instanceof NotSupportedException) {
            return Problem.invalid("Unsupported content type; send application/json.", null)
                    .withStatus(415, "Unsupported media type").toResponse();
        }
        if (e instanceof NotAcceptableException) {
            return Problem.invalid("No acceptable representation.", null)
                    .withStatus(406, "Not acceptable").toResponse();
        }
        if (status == 401) {
            return unauthorized();
        }
        if (status == 403) {
            return Problem.of(ProblemType.FORBIDDEN, "Forbidden.").toResponse();
        }
        if (status == 413) {
            return Problem.invalid("The request body is too large.", null)
                    .withStatus(413, "Payload too large").toResponse();
        }
        if (status >= 400 && status < 500) {
            return Problem.invalid("The request is not valid.", null).withStatus(status, "Invalid request")
                    .toResponse();
        }
        return unexpected(e);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        if (DatabaseFailures.isUnavailable(e)) {
            Log.warnf("Database unavailable: %s", e.getClass().getSimpleName());
            // The contract's 503 always says when to try again.
            return Response.fromResponse(Problem.of(ProblemType.SERVICE_UNAVAILABLE,
                    "The database cannot be reached; try again shortly.").toResponse())
                    .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_SECONDS).build();
        }
        String id = UUID.randomUUID().toString();
        // The stack goes to the log under an id that the client can quote; the response says nothing more.
        Log.errorf(e, "Unexpected failure %s", id);
        return new Problem("about:blank", "Internal error", 500, "Unexpected failure, reference " + id, null,
                java.util.Map.of()).toResponse();
    }

    public static Response unauthorized() {
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(Problem.of(ProblemType.UNAUTHORIZED, "A valid bearer token of the right kind is required."))
                .build();
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        // Paths look like "login.request.username" or "createUser.body.memberships[0].roles[1].<list element>": keep
        // what names the body's field, in the JSON's snake_case.
        String path = CONTAINER_ELEMENT.matcher(violation.getPropertyPath().toString()).replaceAll("");
        String[] parts = path.split("\\.");
        if (parts.length >= 3) {
            return snakeCase(String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)));
        }
        return parts.length == 2 ? "body" : snakeCase(path);
    }

    private static final Pattern CONTAINER_ELEMENT = Pattern.compile("\\.?<[^>]*>");
    private static final Pattern JAVA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** The JSON name of a Java property path, as the body's mapper (quarkus.jackson.property-naming-strategy) has it. */
    static String snakeCase(String path) {
        return JAVA_NAME.matcher(path).replaceAll(name -> SNAKE_CASE.translate(name.group()));
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
