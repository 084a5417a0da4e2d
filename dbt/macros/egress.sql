{#
  The data transfer classifier used by fct_egress_daily (and property-tested against a Python model of the rules in
  tests/unit/test_properties.py, which renders these macros with plain Jinja and runs them in DuckDB).

  Direction: each transfer is counted once, at the side that sends it. AWS bills an inter-region transfer as
  <SRC>-<DST>-AWS-Out-Bytes at the source and again as <DST>-<SRC>-AWS-In-Bytes (usually $0) at the destination,
  and inter-AZ traffic (…DataTransfer-Regional-Bytes) once per direction, with operation InterZone-Out / InterZone-In;
  internet inbound is …DataTransfer-In-Bytes, Direct Connect inbound …DataXfer-In…. GCP names ingress in the SKU
  ("Network Internet Ingress…"). Those rows are direction 'in' and egress class 'inbound': their cost stays visible,
  their bytes are not egress.
#}

{% macro is_data_transfer(provider, usage_type) -%}
    (
        ({{ provider }} = 'AWS' and ({{ usage_type }} like '%Bytes%' or {{ usage_type }} like '%DataXfer%')
         and {{ usage_type }} not like '%TimedStorage%')
        or ({{ provider }} = 'Google Cloud'
            and {{ regexp_contains(usage_type, "'(?i)(egress|ingress|data transfer|download|inter[- ]?region|inter[- ]?zone|cloud nat|cdn|interconnect|vpc peering)'") }})
    )
{%- endmacro %}

{% macro transfer_direction(provider, usage_type, operation) -%}
    case
        when {{ provider }} = 'AWS' and (
                {{ regexp_contains(usage_type, "'-In-Bytes$'") }}
                or {{ usage_type }} like '%DataXfer-In%'
                or coalesce({{ operation }}, '') = 'InterZone-In') then 'in'
        when {{ provider }} = 'Google Cloud' and {{ regexp_contains(usage_type, "'(?i)ingress'") }} then 'in'
        else 'out'
    end
{%- endmacro %}

{% macro transfer_class(provider, service, usage_type) -%}
    case
        when {{ provider }} = 'AWS' then case
            when {{ service }} = 'Amazon CloudFront' then 'cdn'
            when {{ service }} = 'AWS Direct Connect' or {{ usage_type }} like '%DataXfer%' then 'direct_connect'
            when {{ usage_type }} like '%TransitGateway-Bytes' then 'transit_gateway'
            when {{ usage_type }} like '%VpcPeering%' then 'vpc_peering'
            when {{ usage_type }} like '%NatGateway-Bytes' then 'nat'
            when {{ usage_type }} like '%DataTransfer-Regional-Bytes' then 'inter_az'
            when {{ regexp_contains(usage_type, "'^[A-Z]{2,4}[0-9]?-[A-Z]{2,4}[0-9]?-AWS-(Out|In)-Bytes$'") }} then 'inter_region'
            when {{ usage_type }} like '%DataTransfer-Out-Bytes' or {{ usage_type }} like '%DataTransfer-In-Bytes'
                then 'internet'
            else 'other' end
        else case
            when {{ regexp_contains(usage_type, "'(?i)cdn'") }} then 'cdn'
            when {{ regexp_contains(usage_type, "'(?i)interconnect'") }} then 'direct_connect'
            when {{ regexp_contains(usage_type, "'(?i)vpc peering'") }} then 'vpc_peering'
            when {{ regexp_contains(usage_type, "'(?i)cloud nat'") }} then 'nat'
            when {{ regexp_contains(usage_type, "'(?i)inter[- ]?zone'") }} then 'inter_az'
            when {{ regexp_contains(usage_type, "'(?i)inter[- ]?region'") }} then 'inter_region'
            when {{ regexp_contains(usage_type, "'(?i)internet (egress|data transfer out|ingress)'") }} then 'internet'
            when {{ regexp_contains(usage_type, "'(?i)^download '") }} then 'internet'
            else 'other' end
    end
{%- endmacro %}

{# The class a row is reported under: its transfer class, or 'inbound' for the receiving side. #}
{% macro egress_class(provider, service, usage_type, operation) -%}
    case
        when {{ transfer_direction(provider, usage_type, operation) }} = 'in' then 'inbound'
        else {{ transfer_class(provider, service, usage_type) }}
    end
{%- endmacro %}
