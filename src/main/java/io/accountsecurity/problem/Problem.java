package io.accountsecurity.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One bad field of a request. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, Map.of());
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        ProblemType type = ProblemType.INVALID_REQUEST;
        return new Problem(type.uri(), type.title(), type.status(), detail, errors, Map.of());
    }

    public Problem withStatus(int newStatus, String newTitle) {
        return new Problem(type, newTitle, newStatus, detail, errors, extensions);
    }

    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(type, title, status, detail, errors, more);
    }

    @JsonAnyGetter
    public Map<String, Object> anyExtensions() {
        return extensions;
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
