-- Which machine a telemetry host is: one row per (provider, resource), from EC2 DescribeInstances and a hosts CSV.
-- A snapshot updates what it sees (last_seen moves on) and never deletes: a terminated instance is still on the bill
-- and its telemetry still needs a name.
create table if not exists raw.host_inventory (
    provider          varchar not null,     -- aws | gcp | azure | onprem
    resource_id       varchar not null,     -- EC2 instance id / GCE instance name / asset tag
    instance_type     varchar,
    hostname          varchar,              -- Name tag, GKE node name or on-prem host name
    private_dns_name  varchar,              -- EKS node name (ip-10-0-1-11.ec2.internal)
    private_ip        varchar,
    zone              varchar,
    account           varchar,
    state             varchar,
    inventory_source  varchar not null,     -- ec2:<region> | csv
    first_seen        timestamptz not null,
    last_seen         timestamptz not null,
    _load_id          varchar not null,
    primary key (provider, resource_id)
);
alter table raw.host_inventory add column if not exists state_reason varchar;        -- EC2 StateReason.Code
alter table raw.host_inventory add column if not exists instance_lifecycle varchar;  -- EC2 InstanceLifecycle (spot)
