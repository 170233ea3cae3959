#!/usr/bin/env python3
"""Regenerate the synthetic sample stores that `make demo` scans, and their ground truth.

    python samples/generate.py [--out samples/stores] [--truth samples/truth.json]

Every value is synthetic (syllable-list names, IDs with valid MOD 11-2 check characters
and real region codes, phones in valid ranges, Luhn-valid IMEIs and test cards …). The
output depends only on the seeds below: no clock, no global random state, sorted keys,
fixed archive timestamps. Two runs give byte-identical files for the same versions of
Python, SQLite, zlib, pyarrow and openpyxl (see _gen_io.py for what each format embeds).

truth.json lists, for every field that holds personal data, the canonical entity name
(DESIGN.md): {"path", "container", "field", "entity"}. Conventions: paths relative to the
stores directory with '/' separators; SQLite container = table; archive members: path =
the archive, container = member name (gzip: the inner name without .gz); nested JSON
fields as `guest.id_no`, `companions[].id_no`; free text: field null. negative_control/
has no rows — any finding there is a false positive.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep samples/ free of __pycache__
sys.path.insert(0, str(HERE))

import _gen_biometric  # noqa: E402
import _gen_cn  # noqa: E402
import _gen_io  # noqa: E402
import _gen_negative  # noqa: E402
import _gen_traces  # noqa: E402
import _gen_west  # noqa: E402

SEED = "spillguard-samples-v1"


def rng_for(store: str) -> random.Random:
    """One independent generator per store, so editing one store leaves the others as is."""
    return random.Random(f"{SEED}/{store}")


def generate(out: Path, truth_path: Path) -> list[dict]:
    if out.exists() and any(out.iterdir()):
        if not (out / "residential_complex.db").is_file():  # never wipe an unrelated folder
            raise SystemExit(f"refusing to replace {out}: not a sample stores directory")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    truth = _gen_io.Truth()
    people = _gen_cn.residents(rng_for("residents"))
    _gen_cn.residential_complex(out, truth, rng_for("residential_complex"), people)
    _gen_cn.resident_rolls(out, truth, rng_for("resident_roll"), people)
    _gen_cn.hotel_stays(out, truth, rng_for("hotel_stays"), people)
    _gen_cn.internet_cafe(out, truth, rng_for("internet_cafe"), people)
    _gen_cn.police_exports(out, truth, rng_for("exports"), people)
    _gen_west.western(out, truth, rng_for("western_customers"))
    _gen_traces.tracking(out, truth, rng_for("tracking"))
    _gen_biometric.biometrics(out, truth, rng_for("biometrics"))
    _gen_negative.negative_control(out, truth, rng_for("negative_control"))
    rows = truth.as_list()
    for row in rows:  # every truth row must name a file that exists
        assert (out / row["path"]).is_file(), row["path"]
    body = ",\n".join(" " + json.dumps(r, ensure_ascii=False) for r in rows)
    truth_path.write_text(f"[\n{body}\n]\n", encoding="utf-8")  # one row a line: clean diffs
    return rows


def checksums(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", type=Path, default=HERE / "stores")
    ap.add_argument("--truth", type=Path, default=None,
                    help="where to write truth.json (default: next to the --out directory)")
    args = ap.parse_args(argv)
    truth_path = args.truth or args.out.resolve().parent / "truth.json"
    rows = generate(args.out, truth_path)
    sums = checksums(args.out)
    total = 0
    for rel, digest in sums.items():
        size = (args.out / rel).stat().st_size
        total += size
        print(f"{size:>9}  {digest[:16]}  {rel}")
    print(f"{total:>9}  {'':16}  total, {len(rows)} truth rows -> {truth_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
