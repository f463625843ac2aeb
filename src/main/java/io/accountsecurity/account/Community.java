package io.accountsecurity.account;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "communities")
public class Community extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    /** The MSSP community that manages this one, or null. */
    public UUID managedBy;
    public boolean twoFactorRequired;
    public Instant policyUpdatedAt;
    public UUID policyUpdatedBy;
    public Instant createdAt;
}
