package io.accountsecurity.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.accountsecurity.config.SessionConfig;
import io.accountsecurity.db.Db;
import io.accountsecurity.db.Outcome;
import io.accountsecurity.events.EventType;
import io.accountsecurity.events.SecurityEvents;
import io.accountsecurity.platform.SecurityMetrics;
import io.accountsecurity.problem.ProblemException;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.token.TokenIssuer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Sign-in sessions: started by every answer that ends a login, refreshed with rotating one-time refresh tokens, ended
 * by the user, by idleness or age, and by security changes. The only writer of the sessions tables; methods that say
 * so run inside the caller's transaction, so that a security change and the end of the sessions commit together.
 */
@Singleton
public class Sessions {

    /** Where a sign-in comes from, as the sessions list shows it. */
    public record Client(String address, String userAgent) {
    }

    /** A session as its owner's answer carries it: the refresh token is shown this once. */
    public record Started(UUID id, String refreshToken, long refreshExpiresIn, Instant authTime, List<String> amr) {
    }

    /** A refresh's result: the account to issue for, and the session with its next refresh token. */
    public record Refreshed(TokenIssuer.Subject subject, Started session) {
    }

    public record SessionView(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String clientAddress,
            String userAgent, List<String> amr, boolean current) {
    }

    private static final int MAX_USER_AGENT = 256;

    private final LiveSessions live;
    private final SecurityEvents events;
    private final SecurityMetrics metrics;
    private final SessionConfig config;
    private final Clock clock;

    public Sessions(LiveSessions live, SecurityEvents events, SecurityMetrics metrics, SessionConfig config,
            Clock clock) {
        this.live = live;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** Starts a session; inside a transaction. */
    public Uni<Started> start(UUID userId, List<String> amr, Client client) {
        Instant now = now();
        String token = RefreshTokens.generate();
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.userId = userId;
        session.refreshTokenHash = RefreshTokens.hash(token);
        session.amr = amr.toArray(String[]::new);
        session.createdAt = now;
        session.lastUsedAt = now;
        session.clientAddress = client.address();
        String agent = client.userAgent();
        session.userAgent = agent == null ? null : agent.substring(0, Math.min(agent.length(), MAX_USER_AGENT));
        return session.persist().map(saved -> new Started(session.id, token, expiresIn(now, now, now), now, amr));
    }

    /**
     * Exchanges a refresh token for the next one. A token already exchanged ends its session (one of its two holders
     * is a thief) and is refused like an unknown one; of concurrent refreshes of one token, one wins.
     */
    public Uni<Refreshed> refresh(String token, String clientAddress) {
        if (token.length() > RefreshTokens.MAX_LENGTH) {
            return Uni.createFrom().failure(invalid());
        }
        String hash = RefreshTokens.hash(token);
        return live.byRefreshToken(hash).flatMap(found -> Db.transaction(() -> {
            Instant now = now();
            if (found == null) {
                return ExchangedRefreshToken.<ExchangedRefreshToken>findById(hash).flatMap(exchanged -> exchanged == null
                        ? refused("unknown", invalid())
                        : reused(exchanged.sessionId, clientAddress));
            }
            if (found.revoked() || !found.lastUsedAt().isAfter(live.idleLimit(now))
                    || !found.createdAt().isAfter(live.absoluteLimit(now))) {
                return refused("ended", invalid());
            }
            if (found.needsEnrollment()) {
                return refused("enrollment_required", new ProblemException(ProblemType.TWO_FACTOR_ENROLLMENT_REQUIRED,
                        "A community you belong to now requires two-factor authentication: log in again to enroll."));
            }
            String next = RefreshTokens.generate();
            return Session.update("refreshTokenHash = ?1, lastUsedAt = ?2 where id = ?3 and refreshTokenHash = ?4 "
                    + "and revokedAt is null", RefreshTokens.hash(next), now, found.id(), hash).flatMap(updated -> {
                        if (updated == 0) {
                            // Another refresh of the same token won the row: this one is a reuse.
                            return reused(found.id(), clientAddress);
                        }
                        ExchangedRefreshToken exchanged = new ExchangedRefreshToken();
                        exchanged.tokenHash = hash;
                        exchanged.sessionId = found.id();
                        exchanged.exchangedAt = now;
                        metrics.refresh("success");
                        return exchanged.persist().map(v -> Outcome.of(new Refreshed(found.subject(),
                                new Started(found.id(), next, expiresIn(found.createdAt(), now, now),
                                        found.createdAt(), found.amr()))));
                    });
        })).map(Outcome::orThrow);
    }

    private Uni<Outcome<Refreshed>> reused(UUID sessionId, String clientAddress) {
        return Session.<Session>findById(sessionId).flatMap(session -> {
            metrics.refresh("reused");
            Uni<Void> revoked = Uni.createFrom().voidItem();
            if (session.revokedAt == null) {
                session.revokedAt = now();
                revoked = events.record(EventType.REFRESH_TOKEN_REUSED, session.userId, null, clientAddress,
                        "A refresh token was presented again; its session was ended");
            }
            return revoked.map(v -> Outcome.refused(invalid()));
        });
    }

    private Uni<Outcome<Refreshed>> refused(String result, ProblemException refusal) {
        metrics.refresh(result);
        return Uni.createFrom().item(Outcome.refused(refusal));
    }

    /** Ends one of the user's live sessions; 404 when it is not one. In its own transaction. */
    public Uni<Void> end(UUID userId, UUID sessionId) {
        return Db.transaction(() -> Session.update("revokedAt = ?1 where id = ?2 and userId = ?3 and revokedAt is null",
                now(), sessionId, userId)).map(ended -> {
                    if (ended == 0) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "No such session of yours.");
                    }
                    return null;
                });
    }

    /**
     * Ends every live session of the user but {@code keep} (null: all of them) and records it when any ended; inside
     * the transaction of the change that ends them.
     */
    public Uni<Integer> endAll(UUID userId, UUID keep, String reason, String clientAddress) {
        Uni<Integer> ended = keep == null
                ? Session.update("revokedAt = ?1 where userId = ?2 and revokedAt is null", now(), userId)
                : Session.update("revokedAt = ?1 where userId = ?2 and revokedAt is null and id <> ?3", now(), userId,
                        keep);
        return ended.call(count -> count == 0 ? Uni.createFrom().voidItem()
                : events.record(EventType.SESSIONS_REVOKED, userId, null, clientAddress,
                        count + " session(s) ended: " + reason));
    }

    /** Signs the user out of every session but {@code current}, in a transaction of its own. */
    public Uni<Integer> endOthers(UUID userId, UUID current, String clientAddress) {
        return Db.transaction(() -> endAll(userId, current, "signed out everywhere else", clientAddress));
    }

    /** The user's live sessions, newest first. */
    public Uni<List<SessionView>> list(UUID userId, UUID current) {
        Instant now = now();
        return Db.session(() -> Session.<Session>find("userId = ?1 and revokedAt is null and lastUsedAt > ?2 "
                + "and createdAt > ?3 order by createdAt desc", userId, live.idleLimit(now), live.absoluteLimit(now))
                .list())
                .map(sessions -> sessions.stream().map(s -> new SessionView(s.id, s.createdAt, s.lastUsedAt,
                        now.plusSeconds(expiresIn(s.createdAt, s.lastUsedAt, now)), s.clientAddress, s.userAgent,
                        Arrays.asList(s.amr), s.id.equals(current))).toList());
    }

    /** Deletes sessions that ended (revoked, idle or too old) more than {@code sessions.keep-ended} ago. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        Instant before = now().minus(config.keepEnded());
        return Db.transaction(() -> Session.delete("revokedAt < ?1 or lastUsedAt < ?2 or createdAt < ?3", before,
                before.minus(config.idleTimeout()), before.minus(config.absoluteLifetime()))).replaceWithVoid();
    }

    /** Seconds until the session ends, idle or at its absolute limit, whichever comes first. */
    private long expiresIn(Instant createdAt, Instant lastUsedAt, Instant now) {
        Instant idle = lastUsedAt.plus(config.idleTimeout());
        Instant absolute = createdAt.plus(config.absoluteLifetime());
        return Math.max(0, Duration.between(now, idle.isBefore(absolute) ? idle : absolute).toSeconds());
    }

    private Instant now() {
        // PostgreSQL keeps microseconds.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ProblemException invalid() {
        return new ProblemException(ProblemType.INVALID_REFRESH_TOKEN,
                "This refresh token is not valid (unknown, expired, already used or revoked): log in again.");
    }
}
