"""Byte sizes on the command line: ``2G``, ``500M``, ``64KiB``, ``1.5T``, ``0`` (no cap)."""

from __future__ import annotations

import re
import sys

import click

_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.I)


def parse_size(text: str) -> int:
    """Bytes for ``text`` (binary units); 0 means no cap and becomes sys.maxsize."""
    m = _SIZE.fullmatch(str(text))
    if m is None:
        raise ValueError(f"not a size: {text!r} (examples: 0, 500M, 2G, 10GiB)")
    n = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    return sys.maxsize if n == 0 else n


class ByteSize(click.ParamType):
    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
