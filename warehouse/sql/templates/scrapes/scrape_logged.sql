-- One scrape in the scrape log: an empty scrape is a gap.
insert into {{ scrape_log | relation }} values ($scraped_at, $host, $samples, $bad_lines, $status, $path, $load_id)
