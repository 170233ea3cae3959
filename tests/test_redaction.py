"""redaction.py: identifiers in names (files, keys, members, fields) are masked wherever
a name is shown, and nothing else about a name changes. The end-to-end proof, every
output searched for canaries planted in names, is in test_canary_leaks.py."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard import redaction
from spillguard.models import Coverage, Finding, Risk, ScanResult, TargetResult, Trace
from spillguard.redaction import mask_identifiers, redact_result

ID, PHONE, MAIL, CARD = "11010519491231002X", "13800138000", "zhang.wei@example.org", "4556737586899855"


@pytest.mark.parametrize("name", [
    f"guest_{ID}.jpg", f"user:{PHONE}", f"{PHONE}.name", f"exports/{MAIL}/photo.png", f"cards/{CARD}.txt",
    f"/data/{ID[:6]}/{ID}_{PHONE}.csv",
])
def test_identifiers_in_a_name_are_masked_and_the_rest_stays(name):
    shown = mask_identifiers(name)
    for value in (ID, PHONE, MAIL, CARD):
        assert value not in shown
    assert len(shown) == len(name) and shown != name
    kept = [a for a, b in zip(name, shown) if a == b]
    assert len(kept) >= len(name) // 3  # the path, separators and extension are still there
    assert shown.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1] or "." not in name


@pytest.mark.parametrize("name", [
    None, "", "roll.csv", "export_20240105.csv", "app-2024-01-05.log", "v1.2.3/build", "report_1700000000.json",
    "orders/2024/12/25/part-00001.parquet", "table_42", "ip_address", "guest.id_no", "companions[].mobile",
    "s3://bucket/logs/2026/11/28/app.log.gz",
])
def test_names_without_identifiers_are_shown_as_they_are(name):
    assert mask_identifiers(name) == name


def _result() -> ScanResult:
    finding = Finding("t", f"guest_{ID}.csv", None, f"{PHONE}.mobile", "PHONE_NUMBER", "contact", 1, 1, 1, 0.9, "low",
                      ("+86*********00",), (f"field name '{PHONE}.mobile'",), "fp123")
    trace = Trace("t", f"guest_{ID}.csv", None, "generic", f"{PHONE}.key", "time", (f"{PHONE}.place",), 10, 2, 1, 1.0,
                  {}, False, ())
    risk = Risk("container", "t", f"guest_{ID}.csv", None, "low", 10, "unknown", (), 1,
                {"quasi_identifiers": [f"{PHONE}.age"], "records": 3}, (f"'{PHONE}.age'",))
    return ScanResult("v", "a", "b", [TargetResult(f"/data/{ID}", "files")],
                      [Coverage(f"/data/{ID}", f"guest_{ID}.csv", f"sheet_{PHONE}")], [finding], traces=[trace],
                      risk=[risk])


def test_a_result_shows_no_identifier_in_any_name_and_keeps_its_fingerprints():
    result = redact_result(_result())
    text = repr(dataclasses.asdict(result))
    assert ID not in text and PHONE not in text
    f = result.findings[0]
    assert f.fingerprint == "fp123" and f.samples == ("+86*********00",)  # identity and samples untouched
    assert f.field.endswith(".mobile") and f.path.startswith("guest_") and f.path.endswith(".csv")
    assert result.risk[0].reidentification["records"] == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.field = "x"


def test_log_records_of_the_spillguard_logger_are_masked(caplog):
    import spillguard  # noqa: F401  (the package guards its logger)

    with caplog.at_level(logging.INFO, logger="spillguard"):
        logging.getLogger("spillguard").info("%s: complete, %d records", f"guest_{ID}_{PHONE}.csv", 3)
    assert caplog.messages and ID not in caplog.text and PHONE not in caplog.text
    assert caplog.messages[-1].startswith("guest_") and caplog.messages[-1].endswith(".csv: complete, 3 records")


def test_a_plugin_whose_scan_text_takes_no_floor_is_called_as_a_scan_calls_it(monkeypatch):
    """Names go through the same free-text path as a scan (scanning.text.TextDetectors),
    so a plugin written before scan_text took a floor masks names too."""
    from spillguard import redaction
    from spillguard.detectors.base import Detector, Hit
    from spillguard.scanning.text import TextDetectors

    class Badge(Detector):
        id, entity = "badge-test", "PERSON_NAME"

        def scan_text(self, text):  # no floor
            at = text.find("B-7731")
            return [Hit(0, at, at + 6, "B-7731", 0.9, "badge")] if at >= 0 else []

    monkeypatch.setattr(redaction, "_text_detectors", lambda: TextDetectors([Badge()]))
    redaction.clear_cache()
    try:
        shown = mask_identifiers("door_B-7731_2024.log")
    finally:
        redaction.clear_cache()
    assert "B-7731" not in shown and shown.startswith("door_") and shown.endswith("_2024.log")


_PARTS = st.sampled_from([
    ID, PHONE, MAIL, CARD, "ac:de:48:2a:3e:37", "192.168.1.20", "DE89370400440532013000", "078-05-1120",
    "身份证", "手机", "ssn", "card", "guest_", "/data/", ".csv", "_", ":", " ", "2024-01-02", "dob ", "1985-06-15",
    "汉族", "民族:", "zhang", "\n",
]) | st.text("0123456789abcX:-_/.@ ", max_size=12)


@settings(max_examples=150, deadline=None)
@given(names=st.lists(st.lists(_PARTS, min_size=1, max_size=6).map("".join), min_size=1, max_size=25))
def test_names_masked_together_are_masked_as_one_by_one(names):
    """mask_all runs the detectors once over many names (joined by GAP): each name comes
    out exactly as when it is masked alone."""
    redaction.clear_cache()
    alone = [mask_identifiers(n) for n in names]
    redaction.clear_cache()
    shown = redaction.mask_all(names)
    assert [shown.get(n, n) for n in names] == alone
    assert [mask_identifiers(n) for n in names] == alone


def test_names_are_masked_in_few_detector_passes(monkeypatch):
    passes = []
    detectors = redaction._text_detectors()
    real = type(detectors).hits
    monkeypatch.setattr(type(detectors), "hits", lambda self, text, floor: passes.append(1) or real(self, text, floor))
    monkeypatch.setattr(redaction, "CACHE_SIZE", 100)  # far fewer than the names: no help from the cache
    monkeypatch.setattr(redaction, "REDACT_CHUNK", 1000)
    redaction.clear_cache()
    names = [f"/estate/dept{i % 7}/guest_{ID}_{i}.csv" for i in range(3000)] + ["plain_name.csv"]
    result = ScanResult("0", "", "", targets=[], coverage=[Coverage(n, n, None) for n in names], findings=[])
    shown = redact_result(result)
    assert sum(len(n) + len(redaction.GAP) for n in names[:1000]) < 1 << 18  # one pass a chunk would do
    assert len(passes) == 3  # one per chunk of 1000 names; the fourth, one plain name, needs none
    assert all(ID not in row.path for row in shown.coverage) and shown.coverage[-1].path == "plain_name.csv"
    assert [row.path for row in shown.coverage[:3]] == [mask_identifiers(n) for n in names[:3]]
