package io.accountsecurity.db;

import io.accountsecurity.problem.ProblemException;

/**
 * The result of a step that must commit even when it refuses the request (a failed attempt is counted, then 401): a
 * value, or the problem to answer once the transaction is over.
 */
public final class Outcome<T> {

    private final T value;
    private final ProblemException refusal;

    private Outcome(T value, ProblemException refusal) {
        this.value = value;
        this.refusal = refusal;
    }

    public static <T> Outcome<T> of(T value) {
        return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> refused(ProblemException refusal) {
        return new Outcome<>(null, refusal);
    }

    public T orThrow() {
        if (refusal != null) {
            throw refusal;
        }
        return value;
    }
}
