-- Password attempts reserve a slot here before their hash runs, so that a burst across replicas is checked at most
-- the limit's number of times. A slot older than the in-flight window belongs to a replica that died mid-attempt.
alter table attempt_counters
    add column in_flight    integer not null default 0,
    add column in_flight_at timestamptz;
