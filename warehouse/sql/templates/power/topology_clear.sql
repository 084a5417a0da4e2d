delete from {{ table | relation }}
