package io.accountsecurity.twofactor;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A pending enrollment ({@code enabledAt} null) or an active TOTP credential. The secret is encrypted. */
@Entity
@Table(name = "totp_credentials")
public class TotpCredential extends PanacheEntityBase {

    @Id
    public UUID userId;
    public byte[] secretCiphertext;
    /** The id of the encryption key that sealed the secret (see {@link ServerSecrets}); null before key ids. */
    public String keyId;
    public Instant enabledAt;
    public Instant pendingExpiresAt;
    public long lastUsedStep;

    public boolean enabled() {
        return enabledAt != null;
    }
}
