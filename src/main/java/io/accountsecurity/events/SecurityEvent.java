package io.accountsecurity.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "security_events")
public class SecurityEvent extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID userId;
    public UUID communityId;
    public String type;
    public Instant at;
    public String clientAddress;
    public String detail;
}
