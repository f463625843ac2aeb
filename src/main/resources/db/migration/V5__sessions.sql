-- One row per sign-in on one device: it starts when a login ends and lets the app refresh its access tokens.
create table sessions (
    id                 uuid         primary key,
    user_id            uuid         not null references users (id) on delete cascade,
    -- SHA-256 (base64url) of the current refresh token (the token is 256 random bits, so no salt or key is needed).
    refresh_token_hash varchar(64)  not null,
    amr                text[]       not null,
    -- When the login that started the session ended: the access tokens' auth_time.
    created_at         timestamptz  not null,
    last_used_at       timestamptz  not null,
    client_address     varchar(64),
    user_agent         varchar(256),
    revoked_at         timestamptz
);
create unique index sessions_refresh_token on sessions (refresh_token_hash);
create index sessions_user on sessions (user_id, created_at desc);

-- Refresh tokens already exchanged: presenting one again means two holders, so its session is revoked.
create table exchanged_refresh_tokens (
    token_hash   varchar(64) primary key,
    session_id   uuid        not null references sessions (id) on delete cascade,
    exchanged_at timestamptz not null
);
create index exchanged_refresh_tokens_session on exchanged_refresh_tokens (session_id);
