package io.accountsecurity.problem;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.core.impl.NoStackTraceTimeoutException;

/** What is an outage (503) and what is not, among the failures the SQL client reports. */
class DatabaseFailuresTest {

    @Test
    void lostConnectionsAndTimeoutsAreUnavailability() {
        assertTrue(DatabaseFailures.isUnavailable(new CompletionException(new ConnectException("Connection refused"))));
        assertTrue(DatabaseFailures.isUnavailable(new NoStackTraceTimeoutException("Timeout")));
        assertTrue(DatabaseFailures.isUnavailable(
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")));
        assertTrue(DatabaseFailures.isUnavailable(new CompletionException(
                new NoStackTraceThrowable("Pending requests failed to be sent due to connection has been closed."))));
    }

    @Test
    void aParameterTheClientCannotEncodeIsAProgrammingError() {
        // The SQL client's answer to a Mutiny Buffer where a core Buffer was expected: same class, not an outage.
        assertFalse(DatabaseFailures.isUnavailable(new NoStackTraceThrowable("Parameter at position[0] with class = "
                + "[io.vertx.mutiny.core.buffer.Buffer] and value = [x] can not be coerced to the expected class "
                + "[io.vertx.core.buffer.Buffer] for encoding.")));
        assertFalse(DatabaseFailures.isUnavailable(new IllegalStateException("no message of the client")));
    }
}
