{#- What a load read, per billing period, provider and currency (and file, for per-file sources): a loader's totals
    template extends this one and fills the block with a select of billing_period, provider_name, currency,
    rows_read, file_total, quarantined_total (and source_file). -#}
insert into audit.source_totals (load_id, source, partition_key, billing_period, provider_name, currency,
                                 rows_read, file_total, quarantined_total, source_file)
select $load_id, $source, $partition_key, *{% if not per_file %}, null{% endif %}
from (
{% block totals %}{% endblock %}
)
