-- Delete the quarantined rows of one partition (a replace, inside the load's transaction).
delete from {{ quarantine | relation }} where partition_key = $partition_key
