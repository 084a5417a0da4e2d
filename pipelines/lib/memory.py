"""Give back to the operating system the memory a step's frames left in the process's allocators."""

from __future__ import annotations

import ctypes
import gc
from functools import cache


@cache
def _malloc_trim() -> object | None:
    """glibc's ``malloc_trim`` from the C library already loaded (None where it has none: musl, macOS). Not
    ``ctypes.util.find_library``: it forks a process, which would count a large process's pages as its own."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


def release_freed_memory() -> None:
    """Return freed memory held by Arrow's pool (mimalloc or jemalloc) and by glibc's malloc to the system.

    Both keep what a large frame freed for later reuse, so a step that validated a CUR month left the run's process
    ~1.1 GB larger for every later step (scale 1: 1.6 GB before fct_cost's suite instead of ~0.5), and the peak of
    the daily run was that plus the next large step. Call it once a step's frames are gone."""
    import pyarrow as pa

    gc.collect()  # a validation's frame sits in reference cycles of GX's objects
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
