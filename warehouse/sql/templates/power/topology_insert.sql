-- One topology row (run once per row), replacing the table's.
insert into {{ table | relation }} values ({% for _ in range(width) %}?{% if not loop.last %}, {% endif %}{% endfor %})
