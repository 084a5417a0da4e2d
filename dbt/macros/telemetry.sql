{#
  Telemetry label helpers shared by the Prometheus and the scraped sources of stg_telemetry__samples.
#}

{# The inference-server labels of a JSON label set: served model, finish reason, histogram bound. #}
{% macro serving_label_columns(labels) -%}
        coalesce({{ json_text(labels, '$.model_name') }},
                 {{ json_text(labels, '$.model') }})                  as served_model,
        {{ json_text(labels, '$.finished_reason') }}                  as finished_reason,
        {{ json_text(labels, '$.le') }}                               as le
{%- endmacro %}

{# A series' identity without the collector's own labels (job, pod, namespace, container and their exported_ forms),
   so the same server's counter read by a scrape and from Prometheus is one series. #}
{# A series' identity: power and energy by GPU alone, other DCGM metrics by GPU, MIG instance and pod, anything
   else by its labels without the collector's own (stg_telemetry__samples' header says why). #}
{% macro series_key(metric, gpu_uuid, gpu_i_id, pod, labels_key) -%}
    case
        when {{ metric }} in ('DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION') then {{ gpu_uuid }}
        when {{ metric }} like 'DCGM_%' then {{ gpu_uuid }} || '|' || coalesce({{ gpu_i_id }}, '') || '|' || coalesce({{ pod }}, '')
        else {{ labels_key }}
    end
{%- endmacro %}

{% macro labels_key(labels) -%}
    {{ labels_identity(labels, ['__name__', 'job', 'pod', 'namespace', 'container', 'exported_pod',
                                'exported_namespace', 'exported_container']) }}
{%- endmacro %}

{# A counter's identity shared with its `_created` sample: its labels without the collector's own, the metric name,
   and the histogram bound / summary quantile (a family has one creation time for all its buckets). #}
{% macro counter_identity(labels) -%}
    {{ labels_identity(labels, ['__name__', 'job', 'pod', 'namespace', 'container', 'exported_pod',
                                'exported_namespace', 'exported_container', 'le', 'quantile']) }}
{%- endmacro %}

{# md5 of a JSON label set without the `dropped` keys, as the JSON object of its remaining labels in key order: the
   same text, so the same hash, on every engine #}
{% macro labels_identity(labels, dropped) -%}
    {{- return(adapter.dispatch('labels_identity', 'infraledger')(labels, dropped)) -}}
{%- endmacro %}
{% macro default__labels_identity(labels, dropped) -%}
    md5(to_json(map_from_entries(list_sort(list_filter(
        map_entries(cast({{ labels }} as map(varchar, varchar))),
        lambda e: e.key not in ('{{ dropped | join("', '") }}'))))))
{%- endmacro %}
{% macro spark__labels_identity(labels, dropped) -%}
    md5(to_json(map_from_entries(array_sort(map_entries(map_filter(
        from_json({{ labels }}, 'map<string,string>'),
        (k, v) -> k not in ('{{ dropped | join("', '") }}')))))))
{%- endmacro %}

{#
  The workload a pod belongs to, from its owner's naming rules (Kubernetes writes owner names into pod names), first
  match wins. Random suffixes use Kubernetes' alphabet (consonants and 2,4-9), so a name like `vllm-llama` is kept.
    CronJob              <cronjob>-<schedule time, 8+ digits>-<5>            -> cronjob
    training operators   <job>-(master|worker|launcher|chief|ps|evaluator)[-<n>][-<5>]  (PyTorchJob, MPIJob, TFJob)
    JobSet               <jobset>-<replicated job>-<job index>-<pod index>-<5> -> <jobset>-<replicated job>
    Deployment           <deployment>-<ReplicaSet hash>-<5>                 -> deployment
    Job (indexed)        <job>-<index>-<5>                                  -> job
    Job                  <job>-<5>                                          -> job
    StatefulSet          <statefulset>-<ordinal>                            -> statefulset
  Before the name, pod labels in var workload_label_precedence (default service, app.kubernetes.io/name, app) win,
  as exported (`app_kubernetes_io_name`) or as kube-state-metrics writes them (`label_app_kubernetes_io_name`). A label
  whose value equals the series' `job` label is the collector's own target (a ServiceMonitor's `service`), not the
  workload's, and is skipped.
#}
{% macro workload_of(pod, labels=none) -%}
    {%- set rnd = "[bcdfghjklmnpqrstvwxz2456789]" -%}
    {#- (pattern the name must match, suffix removed), in order; R is a random suffix character -#}
    {%- set rules = [
        ('-[0-9]{8,}-R{5}$', '-[0-9]{8,}-R{5}$'),
        ('.-(master|worker|launcher|chief|ps|evaluator)(-[0-9]+)?(-R{5})?$',
         '-(master|worker|launcher|chief|ps|evaluator)(-[0-9]+)?(-R{5})?$'),
        ('.-[0-9]+-[0-9]+-R{5}$', '-[0-9]+-[0-9]+-R{5}$'),
        ('.-R{6,10}-R{5}$', '-R{6,10}-R{5}$'),
        ('.-[0-9]+-R{5}$', '-[0-9]+-R{5}$'),
        ('.-R{5}$', '-R{5}$'),
        ('.-[0-9]+$', '-[0-9]+$'),
    ] -%}
    {%- set from_name -%}
    case
        {%- for match, suffix in rules %}
        when {{ regexp_contains(pod, "'" ~ match | replace('R', rnd) ~ "'") }}
            then regexp_replace({{ pod }}, '{{ suffix | replace('R', rnd) }}', '')
        {%- endfor %}
        else {{ pod }}
    end
    {%- endset -%}
    {%- if labels is not none -%}
    coalesce(
        {%- for key in var('workload_label_precedence') %}
        {%- set clean = key | replace('.', '_') | replace('/', '_') | replace('-', '_') %}
        {%- for name in [key, clean, 'label_' ~ clean] | unique %}
        nullif(nullif({{ json_text(labels, '$."' ~ name ~ '"') }}, ''),
               coalesce({{ json_text(labels, '$.job') }}, '')),
        {%- endfor %}
        {%- endfor %}
        {{ from_name }})
    {%- else -%}
    {{ from_name }}
    {%- endif -%}
{%- endmacro %}

{#- The GPU model's short name, as the seed gpu_instance_types spells it, from a driver's model name
    ('NVIDIA H100 80GB HBM3' → 'H100'); NULL when none matches. -#}
{% macro gpu_model_of(model_name) -%}
    nullif(regexp_extract({{ model_name }}, '(GB200|B200|H200|H100|A100|L40S|L40|L4|A10G|A10|T4|V100)', 1), '')
{%- endmacro %}

{#- A machine as the bill, inventories and telemetry all can name it: the last part of its resource id, lower case
    (a GCE VM's global name //compute.googleapis.com/…/instances/<name> and an inventory's <name> agree). -#}
{% macro machine_key(resource_id) -%}
    lower(regexp_extract({{ resource_id }}, '[^/]+$', 0))
{%- endmacro %}
