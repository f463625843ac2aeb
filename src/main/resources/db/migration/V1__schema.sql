-- Accounts, communities and memberships.
create table users (
    id                uuid         primary key,
    username          varchar(64)  not null,
    password_hash     varchar(255) not null,
    platform_admin    boolean      not null default false,
    -- Bumped when every token issued so far must stop working (2FA reset by an administrator).
    token_version     integer      not null default 0,
    created_at        timestamptz  not null
);
-- Usernames are unique without regard to case.
create unique index users_username_ci on users (lower(username));

create table communities (
    id                  uuid         primary key,
    name                varchar(128) not null,
    -- The MSSP community that manages this one, if any.
    managed_by          uuid         references communities (id),
    two_factor_required boolean      not null default false,
    policy_updated_at   timestamptz,
    policy_updated_by   uuid         references users (id) on delete set null,
    created_at          timestamptz  not null,
    constraint communities_not_self_managed check (managed_by is null or managed_by <> id)
);
create index communities_managed_by on communities (managed_by);

create table memberships (
    user_id      uuid        not null references users (id) on delete cascade,
    community_id uuid        not null references communities (id) on delete cascade,
    roles        text[]      not null default '{}',
    created_at   timestamptz not null,
    primary key (user_id, community_id)
);
create index memberships_community on memberships (community_id);

-- TOTP state: a pending enrollment (enabled_at null, pending_expires_at set) or an active credential.
create table totp_credentials (
    user_id            uuid        primary key references users (id) on delete cascade,
    -- AES-256-GCM: 12-byte nonce followed by the ciphertext and its tag.
    secret_ciphertext  bytea       not null,
    enabled_at         timestamptz,
    pending_expires_at timestamptz,
    -- The last accepted time step; a code for a step at or before it is refused.
    last_used_step     bigint      not null default -1,
    check ((enabled_at is null) <> (pending_expires_at is null))
);

-- Backup codes are stored as HMAC-SHA256(key, user id || normalized code): keyed hashes only.
create table backup_codes (
    id           bigserial   primary key,
    user_id      uuid        not null references users (id) on delete cascade,
    code_hash    bytea       not null,
    generated_at timestamptz not null,
    used_at      timestamptz,
    unique (user_id, code_hash)
);

-- Consecutive failures and lockouts, per account (second factor) or per account and client (password).
create table attempt_counters (
    counter_key  varchar(200) primary key,
    failures     integer      not null default 0,
    lockouts     integer      not null default 0,
    locked_until timestamptz,
    updated_at   timestamptz  not null
);

create table security_events (
    id             uuid         primary key,
    user_id        uuid         references users (id) on delete cascade,
    community_id   uuid         references communities (id) on delete cascade,
    type           varchar(64)  not null,
    at             timestamptz  not null,
    client_address varchar(64),
    detail         varchar(500)
);
create index security_events_user_at on security_events (user_id, at desc);
create index security_events_community_at on security_events (community_id, at desc);
