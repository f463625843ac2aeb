package io.accountsecurity.problem;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** Tells a database that cannot be reached from other failures, by walking the cause chain. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException
                    || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException
                    || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            if (t instanceof PgException pg && transientState(pg.getSqlState())
                    || t instanceof org.hibernate.JDBCException jdbc && transientState(jdbc.getSQLState())
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof jakarta.persistence.LockTimeoutException) {
                return true;
            }
            if (t instanceof io.vertx.core.impl.NoStackTraceThrowable && lostConnection(t.getMessage())
                    || t.getClass().getName().endsWith("ConnectionPoolTooBusyException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SQL client reports a connection lost under a command with a stack-less throwable; it reports a parameter it
     * cannot encode with the same class, and that is a programming error, not an outage.
     */
    private static boolean lostConnection(String message) {
        return message != null && (message.startsWith("Connection is not active")
                || message.startsWith("Pending requests failed to be sent"));
    }

    /** Connection failures, shutdowns, too many connections, and conflicts (serialization, deadlock) worth a retry. */
    private static boolean transientState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                || state.equals("40001") || state.equals("40P01"));
    }

    /** True when PostgreSQL refused a row for a unique constraint. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
