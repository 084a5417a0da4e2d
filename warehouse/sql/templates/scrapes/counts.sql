-- Samples judged, rejected, and already stored or repeated.
select count(*), count(_reason), count(*) filter (_reason is null and (_present or _rank > 1)) from _scrape_judged
