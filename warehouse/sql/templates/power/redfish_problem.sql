-- What a walk could not read (a missing sensor, an unreachable resource), kept beside the readings.
insert into raw.redfish_problems values ($walked_at, $endpoint, $uri, $problem, $detail, $partition_key, $load_id)
