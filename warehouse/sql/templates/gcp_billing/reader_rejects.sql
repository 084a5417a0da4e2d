-- The lines the reader could not decode.
select line, error_type::varchar, error_message from _gcp_rejects order by line
