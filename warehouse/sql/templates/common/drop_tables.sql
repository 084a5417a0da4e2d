{% for t in tables %}
drop table if exists {{ t | relation }};
{% endfor %}
