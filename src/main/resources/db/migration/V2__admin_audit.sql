-- Every change an administrator made. No foreign keys: the trail outlives the actor and the target, and the actor's
-- username is copied so that it stays readable after the account is deleted.
create table admin_audit_events (
    id             uuid         primary key,
    at             timestamptz  not null,
    action         varchar(32)  not null,
    actor_id       uuid         not null,
    actor_username varchar(64)  not null,
    target_type    varchar(16)  not null,
    target_id      uuid         not null,
    client_address varchar(64),
    detail         varchar(500)
);
-- Newest first, with the id as tie-breaker for keyset pagination.
create index admin_audit_events_newest on admin_audit_events (at desc, id desc);
