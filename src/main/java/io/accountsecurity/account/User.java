package io.accountsecurity.account;

import java.time.Instant;
import java.util.UUID;

import io.accountsecurity.token.TokenIssuer;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    public UUID id;
    public String username;
    public String passwordHash;
    public boolean platformAdmin;
    /** Tokens carry it in {@code tv}; bumping it makes every earlier token of the account stop working. */
    public int tokenVersion;
    /** A deactivated account cannot log in; its sessions ended when it was deactivated. */
    public boolean active = true;
    public Instant createdAt;

    /** What the account's tokens say about it. */
    public TokenIssuer.Subject subject() {
        return new TokenIssuer.Subject(id, username, platformAdmin, tokenVersion);
    }
}
