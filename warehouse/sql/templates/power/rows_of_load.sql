select count(*) from raw.power_readings where _load_id = $load_id
