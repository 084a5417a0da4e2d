-- One hardware register asset (run once per asset), after the table was cleared.
insert into raw.onprem_assets values ($asset, $kind, $site, $purchase_date, $currency, $purchase_cost,
    $depreciation_months, $residual_value, $support_per_month, $space_per_month, $source_file, $source_line)
