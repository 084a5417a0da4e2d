{#- The resource a GCP usage SKU would draw from a commitment: its name before " running in", with "Instance Core"
    read as "Cpu" and "Instance Ram" as "Ram", as the commitment fee SKUs name them ("A2 Instance Core running in
    Americas" -> "A2 Cpu", "Nvidia Tesla A100 GPU running in Americas" -> "Nvidia Tesla A100 GPU"). -#}
{% macro gcp_usage_commitment_key(sku_description) -%}
    regexp_replace(regexp_replace(split_part({{ sku_description }}, ' running in ', 1),
                                  ' Instance Core$', ' Cpu'), ' Instance Ram$', ' Ram')
{%- endmacro %}

{#- The resource a GCP commitment fee SKU commits to ("Commitment v1: A2 Cpu in Americas for 1 Year" -> "A2 Cpu"); ''
    for any other SKU. -#}
{% macro gcp_fee_commitment_key(sku_description) -%}
    regexp_extract({{ sku_description }}, '^Commitment v1: (.+?) in .+ for [0-9]+ Years?$', 1)
{%- endmacro %}
