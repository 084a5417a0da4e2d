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
