-- The lines the CSV reader rejected, with the reader's reason.
select line, error_type::varchar, column_name, csv_line, error_message from _csv_rejects order by line
