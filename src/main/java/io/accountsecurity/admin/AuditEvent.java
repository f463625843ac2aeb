package io.accountsecurity.admin;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One change an administrator made; see {@link AuditTrail}. */
@Entity
@Table(name = "admin_audit_events")
public class AuditEvent extends PanacheEntityBase {

    @Id
    public UUID id;
    public Instant at;
    public String action;
    public UUID actorId;
    public String actorUsername;
    public String targetType;
    public UUID targetId;
    public String clientAddress;
    public String detail;
}
