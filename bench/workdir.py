"""The bench's working folder: the one given with ``--keep`` (emptied first, kept after) or a temporary one."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def fresh_workdir(keep: Path | None, prefix: str = "infraledger-bench-") -> Path:
    work = keep or Path(tempfile.mkdtemp(prefix=prefix))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work
