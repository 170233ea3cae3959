"""``--jobs``: a number of worker processes, or ``auto`` for one per CPU this process may
run on (its affinity mask, which containers and ``taskset`` narrow; not the host's count)."""

from __future__ import annotations

import os

import click


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity call (macOS, Windows)
        return max(1, os.cpu_count() or 1)


class Jobs(click.ParamType):
    name = "N|auto"

    def get_metavar(self, param, ctx=None) -> str:
        return "N|auto"  # click would upper-case the name

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        elif str(value).strip().lower() == "auto":
            return usable_cpus()
        else:
            try:
                n = int(str(value).strip())
            except ValueError:
                self.fail(f"expected a number of worker processes or 'auto', got {value!r}", param, ctx)
        if n < 1:
            self.fail(f"expected 1 or more worker processes (or 'auto'), got {n}", param, ctx)
        return n
