"""`make bench ARGS="--corpus PATH"` (bench/own_corpus.py): the benchmark on files of your
own. The span agreement between two tools, how files are picked and read, and a real
run of the harness (spillguard rows only: the peers' venv is made by `make bench`, not
by `make test`) over planted canaries, none of which may reach any file it writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import own_corpus  # noqa: E402

CANARIES = ("11010519491231002X", "canary.person@example.org", "13912345678")


def test_agreement_counts_overlapping_spans_of_the_same_entity_on_the_same_record():
    reference = [(0, 0, 11, "PHONE_NUMBER", ""), (0, 20, 38, "CN_RESIDENT_ID", ""), (1, 5, 16, "PHONE_NUMBER", ""),
                 (9, 0, 4, "PHONE_NUMBER", "")]  # record 9 is past the slice
    predictions = [
        (0, 2, 11, "PHONE_NUMBER", ""),  # overlaps the first phone
        (0, 20, 38, "PHONE_NUMBER", ""),  # same place, other entity: no
        (1, 16, 20, "PHONE_NUMBER", ""),  # touches the end, no overlap
        (2, 5, 16, "PHONE_NUMBER", ""),  # other record
        (0, 0, 5, "IBAN", ""),  # not a shared type: left out
    ]
    got = own_corpus.agreement(reference, predictions, records=3, shared=("CN_RESIDENT_ID", "PHONE_NUMBER"))
    assert got["agree"] == pytest.approx(1 / 4)
    assert got["covered"] == pytest.approx(1 / 3)
    phone = got["per_entity"]["PHONE_NUMBER"]
    assert (phone["predicted"], phone["spillguard"], phone["agree"], phone["covered"]) == (4, 2, 0.25, 0.5)
    assert got["per_entity"]["CN_RESIDENT_ID"]["covered"] == 0.0
    assert own_corpus.agreement([], [], 5, ("PHONE_NUMBER",))["agree"] is None


def test_files_are_read_as_their_extension_says_and_named_apart(tmp_path):
    for name in ("a.csv", "b.JSONL", "c.ndjson", "d.parquet", "e.log", "f", ".hidden"):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "sub").mkdir()
    files = own_corpus.inputs([tmp_path])
    assert [f.name for f in files] == ["a.csv", "b.JSONL", "c.ndjson", "d.parquet", "e.log", "f"]
    assert [own_corpus.kind(f) for f in files] == ["csv", "jsonl", "jsonl", "parquet", "text", "text"]
    with pytest.raises(ValueError, match="share a name"):
        own_corpus.inputs([tmp_path / "a.csv", tmp_path / "sub" / ".." / "a.csv"])
    with pytest.raises(FileNotFoundError, match="no such file"):
        own_corpus.inputs([tmp_path / "missing.csv"])
    with pytest.raises(FileNotFoundError, match="no files"):
        own_corpus.inputs([tmp_path / "sub"])


def test_a_run_on_files_of_your_own_measures_each_and_writes_no_value(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    lines = [f"2024-05-0{i % 9 + 1} INFO request {i} served in {i % 97} ms" for i in range(3000)]
    lines[10] = f"guest id {CANARIES[0]} phone {CANARIES[2]} mail {CANARIES[1]}"
    (corpus / "app.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["id,sfzh,mobile,email"] + [f"{i},,," for i in range(200)]
    rows[5] = f"4,{CANARIES[0]},{CANARIES[2]},{CANARIES[1]}"
    (corpus / "guests.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--corpus", str(corpus), "--no-peers",
                           "--out-dir", str(out)], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    table = (out / "results.md").read_text()
    measured = {(cells[0], cells[1]) for line in table.splitlines()[2:]
                if len(cells := [c.strip() for c in line.strip("|").split("|")]) > 3 and cells[3] not in ("", "—")}
    assert measured == {(tool, name) for name in ("app.log", "guests.csv")
                        for tool in ("spillguard (1 process)", "spillguard --jobs 2")} | {
        ("spillguard detectors only (spans)", "app.log")}
    assert "3 values found" in table and "No planted list" in table  # the canaries, counted
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name.startswith("pred-spillguard-detectors") for p in written)
    for p in written + [Path("stdout")]:
        text = done.stdout + done.stderr if p.name == "stdout" else p.read_text(errors="replace")
        for canary in CANARIES:
            assert canary not in text, (p, canary)


def test_profile_is_refused_with_a_corpus_of_your_own(tmp_path):
    (tmp_path / "a.log").write_text("x\n")
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--corpus", str(tmp_path), "--profile",
                           "--no-peers", "--out-dir", str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "--profile" in done.stderr


def test_repeated_rows_report_the_median_run_and_the_spread(tmp_path):
    """``--repeat N``: each spillguard row is the run of median wall time, its note the
    spread in MB/s; a failed run ends the repeats."""
    import argparse

    import run

    durations = tmp_path / "durations"
    durations.write_text("0.45 0.05 0.25")
    script = ("import sys, time; p = sys.argv[1]; d = open(p).read().split(); "
              "open(p, 'w').write(' '.join(d[1:])); sys.exit(3) if d[0] == 'fail' else time.sleep(float(d[0]))")
    args = argparse.Namespace(out_dir=tmp_path, peer_python=tmp_path / "none", repeat=3)
    b = run.Bench(args)
    m, note = b.timed([sys.executable, "-c", script, str(durations)], tmp_path / "t.log", mb=10.0)
    assert len(m["walls"]) == 3 and sorted(m["walls"])[1] == m["wall_s"] and 0.25 <= m["wall_s"] < 0.45
    lo, hi = (float(x) for x in note.removeprefix("median of 3, ").removesuffix(" MB/s").split("–"))
    assert lo == pytest.approx(10.0 / max(m["walls"]), abs=0.01) and hi == pytest.approx(10.0 / min(m["walls"]), abs=0.01)
    durations.write_text("fail 0.01 0.01")  # the first run exits 3: no more repeats, no spread
    m, note = b.timed([sys.executable, "-c", script, str(durations)], tmp_path / "t.log", mb=10.0)
    assert m["rc"] == 3 and note == "" and "walls" not in m and durations.read_text() == "0.01 0.01"
    args.repeat = 1
    m, note = b.timed([sys.executable, "-c", script, str(durations)], tmp_path / "t.log", mb=10.0)
    assert m["rc"] == 0 and note == "" and m["walls"] == [m["wall_s"]]
