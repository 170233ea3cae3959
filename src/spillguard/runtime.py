"""Process-wide settings for a process that runs scans (the command line, its --jobs
workers, Spark's Python workers): never set by the library, whose host program owns its
own process."""

from __future__ import annotations

import gc

# A scan allocates millions of short-lived objects (regex matches, hits, cells) while the
# libraries it imported keep large long-lived data (phone metadata, Arrow, the detectors).
# The default young-generation threshold (700) collects every few hundred hits and each
# older collection walks all of that data again: ~8 % of a scan's time (CSV and text
# bench slices). Objects here are freed by reference counting; cycles are rare.
YOUNG_THRESHOLD = 10_000


_TUNED = [False]


def tune_gc() -> None:
    """Leave what is imported by now out of every collection (gc.freeze) and collect the
    young generation less often. Once per process (a Spark worker runs many tasks)."""
    if _TUNED[0]:
        return
    _TUNED[0] = True
    import spillguard.scanning.engine  # noqa: F401  (the detectors and their libraries, to freeze)

    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
