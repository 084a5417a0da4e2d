{#- Each staged sample (registered as _scrape_staged) with its reason to be quarantined (a `required` label
    missing), whether the warehouse holds it already (same identity and time) and its rank among repeats. -#}
create or replace temp table _scrape_judged as
select s.*,
       case
{% for r in required %}
           when s.{{ r.column | ident }} is null{% if r.empty_too %} or s.{{ r.column | ident }} = ''{% endif %} then {{ r.reason | literal }}
{% endfor %}
       end as _reason,
       exists (select 1 from {{ target | relation }} t
               where t.sample_time = s.sample_time
               {% for c in identity %}and t.{{ c | ident }} is not distinct from s.{{ c | ident }} {% endfor %}) as _present,
       row_number() over (partition by s.sample_time{% for c in identity %}, s.{{ c | ident }}{% endfor %}
                          order by s.file, s.line_no) as _rank
from _scrape_staged s
