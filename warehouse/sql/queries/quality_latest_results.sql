-- Each suite's latest validation: its rules, and how many failed as errors and as warnings.
with latest as (
    select suite, arg_max(validation_id, validated_at) as validation_id
    from audit.quality_results group by suite
)
select r.asset_key, r.suite, max(r.validated_at) as validated_at, count(*) as rules,
       count(*) filter (where not r.success and r.severity = 'error') as errors,
       count(*) filter (where not r.success and r.severity = 'warn') as warnings
from audit.quality_results r join latest using (suite, validation_id)
group by r.asset_key, r.suite order by r.asset_key
