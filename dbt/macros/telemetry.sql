{#
  Telemetry label helpers shared by the Prometheus and the scraped sources of stg_telemetry__samples.
#}

{# The inference-server labels of a JSON label set: served model, finish reason, histogram bound. #}
{% macro serving_label_columns(labels) -%}
        coalesce(json_extract_string({{ labels }}, '$.model_name'),
                 json_extract_string({{ labels }}, '$.model'))                  as served_model,
        json_extract_string({{ labels }}, '$.finished_reason')                  as finished_reason,
        json_extract_string({{ labels }}, '$.le')                               as le
{%- endmacro %}

{# A series' identity without the collector's own labels (job, pod, namespace, container and their exported_ forms),
   so the same server's counter read by a scrape and from Prometheus is one series. #}
{% macro labels_key(labels) -%}
    md5(cast(list_sort(list_filter(
        map_entries(cast({{ labels }} as map(varchar, varchar))),
        lambda e: e.key not in ('__name__', 'job', 'pod', 'namespace', 'container', 'exported_pod',
                                'exported_namespace', 'exported_container'))) as varchar))
{%- endmacro %}

{# A pod's Deployment: the pod name without its ReplicaSet and pod hashes. #}
{% macro deployment_of(pod) -%}
    regexp_replace({{ pod }}, '-[a-z0-9]{6,10}-[a-z0-9]{5}$', '')
{%- endmacro %}
