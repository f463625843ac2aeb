package io.accountsecurity.problem;

import java.time.Duration;

/** A failure that the client caused or must know of; the mappers turn it into its problem document. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(ProblemType type, String detail) {
        this(Problem.of(type, detail), null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public static ProblemException tooManyAttempts(Duration retryAfter) {
        return new ProblemException(Problem.of(ProblemType.TOO_MANY_ATTEMPTS,
                "Too many failed attempts; try again later."), retryAfter);
    }

    public Problem problem() {
        return problem;
    }

    /** For 429 and 503 answers: how long the client should wait. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The Retry-After header's value: whole seconds, at least 1; null without a wait. */
    public String retryAfterSeconds() {
        return retryAfter == null ? null : Long.toString(Math.max(1, retryAfter.toSeconds()));
    }
}
