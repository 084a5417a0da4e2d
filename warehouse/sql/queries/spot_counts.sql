-- Items read, quarantined, and loadable but already known, of the judged batch.
select count(*), count(_reason), count(*) filter (_reason is null and _known)
from _spot_judged
