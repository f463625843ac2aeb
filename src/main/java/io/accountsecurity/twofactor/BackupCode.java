package io.accountsecurity.twofactor;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One backup code, kept only as a keyed hash. */
@Entity
@Table(name = "backup_codes")
public class BackupCode extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID userId;
    public byte[] codeHash;
    /** The id of the key that keyed the hash (see {@link ServerSecrets}); null before key ids. */
    public String keyId;
    public Instant generatedAt;
    public Instant usedAt;
}
