package io.accountsecurity.session;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A refresh token already exchanged for the next one; seeing it again means it was stolen. */
@Entity
@Table(name = "exchanged_refresh_tokens")
public class ExchangedRefreshToken extends PanacheEntityBase {

    @Id
    public String tokenHash;
    public UUID sessionId;
    public Instant exchangedAt;
}
