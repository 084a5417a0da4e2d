-- GCP billing export rows loaded, all export tables.
select count(*) from raw.gcp_billing_export
