-- One expectation's result of a validation (run once per expectation, in one transaction).
insert into audit.quality_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
