-- Which encryption key sealed each TOTP secret and keyed each backup-code hash (a fingerprint, never the key), so
-- that operators can rotate SECRETS_ENCRYPTION_KEY and know when an earlier key is no longer needed. Null: a row
-- written before key ids existed, under a key that is tried in order.
alter table totp_credentials add column key_id varchar(16);
alter table backup_codes add column key_id varchar(16);
