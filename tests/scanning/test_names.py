"""Identifiers in names (scanning/names.py): a target whose files, members, tables or
keys are named after people gets a (names) pseudo-container with one finding per entity,
in the people estimate and the risk ratings, the same from a sequential scan and from
--jobs workers, with masked samples only."""

from __future__ import annotations

import json
import sqlite3

import pytest

from spillguard import Settings, scan
from spillguard.detectors import registry
from spillguard.keys import Keyed
from spillguard.models import Coverage
from spillguard.scanning import names as names_module
from spillguard.scanning.names import NAMES, NameScan

IDS = ("11010519491231002X", "440308199901011234", "530128199203040018")
BAD_ID = "110105194912310021"  # 18 digits, wrong check character
PHONE = "13800138000"


def _scan(rows, monkeypatch=None, chunk=None):
    if chunk is not None:
        monkeypatch.setattr(names_module, "CHUNK_CHARS", chunk)
    ns = NameScan("t", Settings(targets=["t"]), registry(), Keyed(b"names-test-key-0123"))
    for path, container in rows:
        ns.add(Coverage("t", path, container))
    summary = ns.summary()
    return ns, {} if summary is None else {f.entity: f for f in summary.findings}


def test_each_name_is_read_once_and_identifiers_are_counted_per_name(monkeypatch):
    rows = [(f"faces/{i}.jpg", None) for i in IDS] + [(f"faces/{BAD_ID}.jpg", None), ("roll.db", f"guest_{PHONE}"),
                                                       ("roll.db", "rooms"), ("roll.db", f"guest_{PHONE}_2"),
                                                       (f"dup/{IDS[0]}.jpg", None)]
    ns, found = _scan(rows)
    assert ns.names == 9  # roll.db once, each of its three tables once
    ric = found["CN_RESIDENT_ID"]
    assert (ric.field, ric.path, ric.container) == (None, None, NAMES)
    assert (ric.count, ric.distinct, ric.records) == (4, 3, 4)  # the bad one is no ID
    assert ric.evidence[0] == "in 4 of 9 names of files, members, tables or keys"
    assert all(i not in "".join(ric.samples) for i in IDS) and ric.samples
    phone = found["PHONE_NUMBER"]
    assert (phone.count, phone.distinct, phone.records) == (2, 1, 2)


def test_chunks_of_names_count_as_one_pass_and_never_look_back_on_each_other(monkeypatch):
    rows = [(f"batch/{n:05d}_{IDS[n % 3]}.jpg", None) for n in range(300)] + [("身份证", None),
                                                                              ("110105490101123.jpg", None)]
    _, whole = _scan(rows, monkeypatch, chunk=1 << 20)
    _, small = _scan(rows, monkeypatch, chunk=200)
    key = lambda f: (f.entity, f.count, f.distinct, f.records, f.confidence)  # noqa: E731
    assert sorted(map(key, whole.values())) == sorted(map(key, small.values()))
    # a legacy 15-digit ID counts only after a keyword: the keyword in the name before it
    # is another name, so it does not count
    assert whole["CN_RESIDENT_ID"].count == 300


def test_a_scan_reports_the_names_finding_the_same_with_jobs(tmp_path, monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "names-test-key-0123456789")
    faces = tmp_path / "faces"
    faces.mkdir()
    for i in IDS:
        (faces / f"{i}.txt").write_text("seen at gate 3\n")
    db = sqlite3.connect(tmp_path / "roll.db")
    db.execute(f"CREATE TABLE guest_{PHONE} (note TEXT)")
    db.execute(f"INSERT INTO guest_{PHONE} VALUES ('x')")
    db.commit()
    db.close()
    (tmp_path / "plain.csv").write_text("a,b\n1,2\n")
    results = [scan(Settings(targets=[str(tmp_path)], run_checks=False)),
               scan(Settings(targets=[str(tmp_path)], run_checks=False, jobs=2))]
    got = []
    for r in results:
        named = sorted((f.entity, f.count, f.distinct, f.records, f.fingerprint) for f in r.findings
                       if f.container == NAMES)
        risk = [(k.severity, k.score, k.people) for k in r.risk if k.container == NAMES]
        people = next(p.estimate for p in r.people if p.scope == "scan")
        got.append((named, risk, people))
        blob = json.dumps([str(x) for x in (*r.findings, *r.coverage, *r.risk, *r.people)])
        assert not any(v in blob for v in (*IDS, PHONE))
        assert all(c.container != NAMES for c in r.coverage)  # a pseudo-container: nothing was read
    assert got[0] == got[1]
    named, risk, people = got[0]
    assert [e for e, *_ in named] == ["CN_RESIDENT_ID", "PHONE_NUMBER"]
    assert named[0][1:4] == (3, 3, 3)
    assert risk and risk[0][2] == 3 and people >= 3  # the three people named by their IDs


@pytest.mark.parametrize("path", ["orders/2024/12/25/part-00001.parquet", "export_20240105.csv", "v1.2.3.tar"])
def test_ordinary_names_give_no_finding(path):
    assert _scan([(path, None)])[1] == {}
