package io.accountsecurity.account;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

@Entity
@Table(name = "memberships")
@IdClass(Membership.Key.class)
public class Membership extends PanacheEntityBase {

    public static final String COMMUNITY_WRITE_ROLE = "COMMUNITY_WRITE_ROLE";

    @Id
    public UUID userId;
    @Id
    public UUID communityId;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] roles;
    public Instant createdAt;

    public boolean hasRole(String role) {
        for (String r : roles) {
            if (r.equals(role)) {
                return true;
            }
        }
        return false;
    }

    public record Key(UUID userId, UUID communityId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
