-- What the delivered files held, net of quarantined rows, per provider, billing period and currency: the latest
-- successful load of each replaced partition, and every successful incremental (GCP) load.
with loads as (
    select *, row_number() over (partition by source, partition_key order by finished_at desc) as newest
    from audit.loads where status = 'success'
),
current_loads as (
    select load_id from loads where source = 'gcp_billing' or newest = 1
)
select t.provider_name, t.billing_period, coalesce(t.currency, '?') as currency,
       sum(t.file_total - t.quarantined_total) as expected
from audit.source_totals t join current_loads using (load_id)
group by all
