{#
  AWS CUR helpers shared by the cost models.
#}

{# Line item types of negotiated discounts: each usage line's net columns already carry its share of them. #}
{% macro discount_line_item_types() -%}
    ('EdpDiscount', 'PrivateRateDiscount', 'BundledDiscount', 'Discount')
{%- endmacro %}

{# Resource tags under one naming: CUR 2.0 writes user tags as user_<key>, legacy CUR as user:<key> (the legacy
   loader maps ':' to '_'); both become <key>. AWS-generated tags (aws:createdBy, CUR 2.0 aws_createdBy) become
   aws:<key>, so they never collide with a user tag of the same name. #}
{% macro normalized_aws_tags(tags) -%}
    {{- return(adapter.dispatch('normalized_aws_tags', 'infraledger')(tags)) -}}
{%- endmacro %}

{% macro default__normalized_aws_tags(tags) -%}
    {%- set entries -%}
    list_transform(map_entries(coalesce({{ tags }}, map())),
        lambda e: {'key': case
                              when regexp_matches(e.key, '^user[_:]') then regexp_replace(e.key, '^user[_:]', '')
                              when regexp_matches(e.key, '^aws[_:]') then regexp_replace(e.key, '^aws[_:]', 'aws:')
                              else e.key
                          end,
                   'value': e.value})
    {%- endset -%}
    {#- both spellings of one key on a line: the first wins (a MAP's keys must be unique) -#}
    map_from_entries(list_filter({{ entries }},
        lambda e, i: list_position(list_transform({{ entries }}, lambda x: x.key), e.key) = i))
{%- endmacro %}

{% macro spark__normalized_aws_tags(tags) -%}
    {%- set entries -%}
    transform(map_entries(coalesce({{ tags }}, map())),
        e -> named_struct('key', case
                                     when e.key rlike '^user[_:]' then regexp_replace(e.key, '^user[_:]', '')
                                     when e.key rlike '^aws[_:]' then regexp_replace(e.key, '^aws[_:]', 'aws:')
                                     else e.key
                                 end,
                          'value', e.value))
    {%- endset -%}
    {#- the first of two spellings wins, as on DuckDB (filter's index is 0-based, array_position's 1-based) -#}
    map_from_entries(filter({{ entries }},
        (e, i) -> array_position(transform({{ entries }}, x -> x.key), e.key) = i + 1))
{%- endmacro %}

{# A CUR line's effective (amortized) cost, AWS's documented amortized view (see int_costs_unioned). With `net`, from
   the net columns where the bill has them (each line after its own negotiated discount; discount lines 0), else
   from the gross ones. `a` is the alias of stg_aws_cur__line_items. #}
{% macro aws_effective_cost(a, net=false) -%}
    case
        {%- if net %}
        when {{ a }}.line_item_type in {{ discount_line_item_types() }} and {{ a }}.net_unblended_cost_usd is not null
            then {{ money(0) }}
        {%- endif %}
        when {{ a }}.line_item_type = 'SavingsPlanCoveredUsage'
            then {{ _net_or_gross(a, 'savings_plan_effective_cost_usd', 'savings_plan_net_effective_cost_usd', net) }}
        when {{ a }}.line_item_type = 'SavingsPlanNegation' then {{ money(0) }}
        when {{ a }}.line_item_type = 'SavingsPlanRecurringFee'
            {%- if net %}
            -- the unused commitment, discounted like the fee line itself
            then cast(({{ a }}.savings_plan_total_commitment_usd - {{ a }}.savings_plan_used_commitment_usd)
                      * coalesce({{ a }}.net_unblended_cost_usd / nullif({{ a }}.unblended_cost_usd, 0), 1)
                      as decimal(38, 10))
            {%- else %}
            then {{ a }}.savings_plan_total_commitment_usd - {{ a }}.savings_plan_used_commitment_usd
            {%- endif %}
        when {{ a }}.line_item_type = 'SavingsPlanUpfrontFee' then {{ money(0) }}
        when {{ a }}.line_item_type = 'DiscountedUsage'
            then {{ _net_or_gross(a, 'reservation_effective_cost_usd', 'reservation_net_effective_cost_usd', net) }}
        when {{ a }}.line_item_type = 'RIFee'
            then coalesce({{ _net_or_gross(a, 'reservation_unused_amortized_upfront_usd',
                                           'reservation_net_unused_amortized_upfront_usd', net) }}, 0)
               + coalesce({{ _net_or_gross(a, 'reservation_unused_recurring_fee_usd',
                                           'reservation_net_unused_recurring_fee_usd', net) }}, 0)
        when {{ a }}.line_item_type = 'Fee' and {{ a }}.reservation_arn is not null then {{ money(0) }}
        else {{ _net_or_gross(a, 'unblended_cost_usd', 'net_unblended_cost_usd', net) }}
    end
{%- endmacro %}

{% macro _net_or_gross(a, gross, net_column, net) -%}
    {%- if net -%}coalesce({{ a }}.{{ net_column }}, {{ a }}.{{ gross }}){%- else -%}{{ a }}.{{ gross }}{%- endif -%}
{%- endmacro %}
