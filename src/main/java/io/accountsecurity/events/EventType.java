package io.accountsecurity.events;

/** What a security event records. */
public enum EventType {
    TWO_FACTOR_ENABLED,
    TWO_FACTOR_DISABLED,
    BACKUP_CODES_REGENERATED,
    BACKUP_CODE_USED,
    LOCKED_OUT,
    TWO_FACTOR_RESET_BY_ADMIN,
    TWO_FACTOR_POLICY_CHANGED,
    PASSWORD_CHANGED,
    REFRESH_TOKEN_REUSED,
    SESSIONS_REVOKED
}
