{#- One delimited file as text columns plus filename and file_row_number (0-based among the lines read); lines the
    parser rejects are kept in _csv_rejects (strict mode: a line with too many or too few fields is rejected). -#}
create or replace temp table {{ table | relation }} as
select * exclude (filename), filename, cast(row_number() over () - 1 as bigint) as file_row_number
from read_csv($path, all_varchar = true, header = true,
              {% if null_tokens %}nullstr = [{{ null_tokens | map('literal') | join(', ') }}], {% endif %}
              filename = true, strict_mode = true, store_rejects = true,
              rejects_table = '_csv_rejects', rejects_scan = '_csv_rejects_scan')
