package io.accountsecurity.db;

import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Hibernate Reactive sessions and transactions, the one way this service writes to its database, that run to their
 * end even when their subscriber goes away.
 *
 * <p>When a client closes its connection, RESTEasy Reactive cancels the request's {@code Uni}. Cancelled in the
 * middle of {@code Panache.withTransaction}, Hibernate Reactive closes a session whose transaction is still live:
 * Mutiny then logs dropped exceptions at ERROR ({@code HR000090: Live transaction detected while closing the
 * connection}, {@code Session/EntityManager is closed}), and with bad timing the connection does not go back to the
 * pool (quarkusio/quarkus#51576, hibernate/hibernate-reactive#2926), so enough impatient clients would exhaust it.
 * Here the work is subscribed on its own: a cancellation only drops the answer, and the transaction commits or rolls
 * back as it would have, then hands its connection back. A second factor that a vanished client had sent correctly is
 * thus used, as if the answer had been lost on the way. This wrapper can go once a Quarkus release carries the fixes
 * of both issues.
 */
public final class Db {

    private Db() {
    }

    public static <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        return toCompletion(Panache.withTransaction(work));
    }

    public static <T> Uni<T> session(Supplier<Uni<T>> work) {
        return toCompletion(Panache.withSession(work));
    }

    private static <T> Uni<T> toCompletion(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail));
    }
}
