package io.accountsecurity.throttle;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code attempt_counters}, for the reads that HQL says as well as SQL; the upserts that count failures and
 * reserve slots stay native statements of {@link AttemptThrottle}, the table's owner.
 */
@Entity
@Table(name = "attempt_counters")
public class AttemptCounter extends PanacheEntityBase {

    @Id
    public String counterKey;
    public int failures;
    public int lockouts;
    public Instant lockedUntil;
    public Instant updatedAt;
    public int inFlight;
    public Instant inFlightAt;
}
