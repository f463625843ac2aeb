-- Administrators deactivate accounts: a deactivated account cannot log in and its sessions end.
alter table users add column active boolean not null default true;
-- The administrators' directory pages through users and communities by name.
create index users_username_order on users (lower(username), id);
create index communities_name_order on communities (lower(name), id);
