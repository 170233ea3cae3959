#!/usr/bin/env python3
"""DataFog adapter: ``datafog.scan(text, engine="regex", backend=python|rust)``.

The regex engine only (no spaCy, no GLiNER: ``engine="regex"`` never loads a model),
default entity set and no allowlist: DataFog out of the box. ``--backend rust`` uses the
optional native detector from ``datafog-core``. Types reported: EMAIL, PHONE, SSN,
CREDIT_CARD, IP_ADDRESS, DATE, ZIP_CODE (the harness maps the ones spillguard shares).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def setup(args):
    import datafog

    backend = args.backend

    def detect(text):
        return [(e.start, e.end, e.type, e.text) for e in datafog.scan(text, engine="regex", backend=backend).entities]

    detect("warm up a@b.com 10.0.0.1")
    return detect


if __name__ == "__main__":
    from importlib.metadata import version

    ap = _common.parser(__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=("python", "rust"), default="python")
    v = f"datafog {version('datafog')}"
    if "--backend" in sys.argv and "rust" in sys.argv:
        v += f", datafog-core {version('datafog-core')}"
    raise SystemExit(_common.main(setup, ap, v))
