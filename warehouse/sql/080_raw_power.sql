-- Facility power readings in one long shape, from the meter/BMS CSV and from Redfish walks. One partition per
-- (source, day): '<bms|redfish>/<YYYY-MM-DD>', replaced as a whole. value is NULL for an empty or NaN reading
-- (missing), never 0. Units are normalized: power in kW, energy in kWh (a counter), current in A, voltage in V.
create table if not exists raw.power_readings (
    reading_time    timestamp not null,     -- UTC
    source          varchar not null,       -- bms | redfish
    site            varchar,
    room            varchar,
    rack            varchar,
    device          varchar not null,       -- PDU, meter or chassis id
    circuit         varchar,                -- mains / branch / outlet / PSU id (Redfish); NULL for a meter row
    kind            varchar not null,       -- meter | mains | branch | outlet | pdu_total | chassis | psu | environment | metric_report
    metric          varchar not null,       -- power_kw | energy_kwh | current_a | voltage_v
    value           double,
    _source_file    varchar not null,
    _source_line    bigint,
    _partition      varchar not null,
    _load_id        varchar not null,
    _loaded_at      timestamptz not null
);
-- What a Redfish walk met but could not use: dangling links, readings that disagree with their sensor.
create table if not exists raw.redfish_problems (
    walked_at       timestamp not null,
    endpoint        varchar not null,
    uri             varchar not null,
    problem         varchar not null,
    detail          varchar,
    _partition      varchar not null,
    _load_id        varchar not null
);
-- The facility as configured (replaced from the topology file on every load).
create table if not exists raw.power_racks (
    site varchar not null, room varchar, rack varchar not null, capacity_kw double, pdu varchar not null
);
create table if not exists raw.power_hosts (host varchar not null, rack varchar not null);
create table if not exists raw.power_meters (site varchar not null, meter varchar not null);
create table if not exists raw.power_tariffs (
    site varchar not null, currency varchar not null, from_minute integer not null, to_minute integer not null,
    per_kwh decimal(18, 6) not null          -- applies to minutes of the day in [from, to), wrapping past midnight
);
