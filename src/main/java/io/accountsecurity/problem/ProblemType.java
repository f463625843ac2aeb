package io.accountsecurity.problem;

/** The problem types of the contract, each with its HTTP status and a stable title. */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", 400, "The request is not valid"),
    INVALID_CREDENTIALS("invalid-credentials", 401, "Invalid credentials"),
    INVALID_CODE("invalid-code", 401, "Invalid code"),
    TOO_MANY_ATTEMPTS("too-many-attempts", 429, "Too many attempts"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    NOT_FOUND("not-found", 404, "Not found"),
    NO_PENDING_ENROLLMENT("no-pending-enrollment", 404, "No pending enrollment"),
    TWO_FACTOR_ALREADY_ENABLED("two-factor-already-enabled", 409, "Two-factor authentication is already enabled"),
    TWO_FACTOR_NOT_ENABLED("two-factor-not-enabled", 409, "Two-factor authentication is not enabled"),
    TWO_FACTOR_ENFORCED("two-factor-enforced", 409, "Two-factor authentication is enforced"),
    TWO_FACTOR_REQUIRED_FOR_ACTION("two-factor-required-for-action", 403, "Two-factor authentication required for this action"),
    USERNAME_TAKEN("username-taken", 409, "Username taken"),
    WEAK_PASSWORD("weak-password", 400, "The password is too weak"),
    LAST_ADMINISTRATOR("last-administrator", 409, "The last active platform administrator"),
    INVALID_REFRESH_TOKEN("invalid-refresh-token", 401, "Invalid refresh token"),
    TWO_FACTOR_ENROLLMENT_REQUIRED("two-factor-enrollment-required", 403, "Two-factor enrollment required"),
    REAUTHENTICATION_REQUIRED("reauthentication-required", 403, "A recent login is required for this action"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable");

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** The relative URI reference that goes into {@code type}. */
    public String uri() {
        return "/problems/" + slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
