delete from raw.redfish_problems where _partition = $partition_key
