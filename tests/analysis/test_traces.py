"""find_trace on record samples built from in-memory batches, with findings made by hand:
which containers hold a location trace, of what kind, and its counts (never a value)."""

from __future__ import annotations

import dataclasses
import random

import pytest

from spillguard.models import Coverage
from spillguard.analysis.traces import BUCKETS, find_trace
from tests.analysis.helpers import finding, sample_of

T0 = 1_772_323_200  # 2026-03-01 00:00:00 UTC
# points per key: 2 keys with 1, 2 with 2-3, 2 with 4-9, 1 with 10-99, 1 with 100+
COUNTS = [1, 1, 2, 3, 4, 9, 10, 150]


def stamp(t: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _visits(rng: random.Random):
    """(key index, point index, time) for COUNTS points per key, times all distinct."""
    out = [(k, j) for k, n in enumerate(COUNTS) for j in range(n)]
    rng.shuffle(out)
    return [(k, j, T0 + i * 397) for i, (k, j) in enumerate(out)]


def face_gate():
    rng = random.Random(1)
    rows = [{"sfzh": f"65010219800101{k:04d}", "tgsj": stamp(t), "mj_id": f"MJ-{rng.randint(1, 6):02d}",
             "zpdz": f"http://fs.local/snap/{rng.getrandbits(48):012x}.jpg", "xsd": round(rng.uniform(0.8, 0.99), 4)}
            for k, _, t in _visits(rng)]
    rows += [{"sfzh": None, "tgsj": stamp(T0 + 7), "mj_id": "MJ-01", "zpdz": "http://fs.local/snap/x.jpg",
              "xsd": 0.41}] * 5  # strangers: no key
    return rows, [finding("sfzh", "CN_RESIDENT_ID")]


def checkpoint():
    rng = random.Random(2)
    gates = [("650102000101", 43.8256, 87.6010), ("650102000102", 43.7877, 87.6236), ("650103000207", 43.8102, 87.5903)]
    rows = []
    for k, _, t in _visits(rng):
        kk = rng.choice(gates)
        rows.append({"hphm": f"新A{k:05d}", "gcsj": stamp(t), "kkbh": kk[0],
                     "lat": f"{kk[1] + rng.uniform(-4e-4, 4e-4):.6f}", "lng": f"{kk[2] + rng.uniform(-4e-4, 4e-4):.6f}"})
    return rows, [finding("hphm", "LICENSE_PLATE"), finding("lat", "GEO_COORDINATES"), finding("lng", "GEO_COORDINATES")]


def sniffer():
    rng = random.Random(3)
    rows = [{"imsi": f"4600012345{k:05d}", "seen_at": f"{t:.0f}", "site_id": f"site-{rng.randint(1, 8):03d}"}
            for k, _, t in _visits(rng)]
    return rows, [finding("imsi", "IMSI")]


def tracker():
    rng = random.Random(4)
    rows = [{"device_imei": f"35332811{k:07d}", "plate": f"新B{k:05d}", "ts": str(int(t)),
             "lat": f"{43.8 + rng.uniform(-0.1, 0.1):.6f}", "lng": f"{87.6 + rng.uniform(-0.1, 0.1):.6f}"}
            for k, _, t in _visits(rng)]
    return rows, [finding("device_imei", "IMEI"), finding("plate", "LICENSE_PLATE"),
                  finding("lat", "GEO_COORDINATES"), finding("lng", "GEO_COORDINATES")]


def internet_cafe():
    rng = random.Random(5)
    rows = [{"terminal_no": f"A{rng.randint(1, 60):03d}", "card_no": f"65010319770513{k:04d}",
             "login_time": stamp(t), "logout_time": stamp(t + 3600), "fee": "5.00"} for k, _, t in _visits(rng)]
    return rows, [finding("card_no", "CN_RESIDENT_ID")]


def no_times():
    rows, found = face_gate()
    return [{k: v for k, v in r.items() if k != "tgsj"} for r in rows], found


def product_table():
    rng = random.Random(6)
    rows = [{"sku": f"SKU-{i % 40:05d}", "product_id": str(i % 40), "created_at": stamp(T0 + i * 3600),
             "warehouse_location": f"WH-{rng.randint(1, 5)}", "price": f"{rng.uniform(1, 99):.2f}"}
            for i in range(300)]
    return rows, []


def registry_one_point_each():
    rows = [{"sfzh": f"65010219800101{k:04d}", "created_at": stamp(T0 + k * 60), "address": f"building {k % 9}"}
            for k in range(200)]
    return rows, [finding("sfzh", "CN_RESIDENT_ID")]


def fixed_cameras():
    """Cameras with coordinates and no person key: a device id that never moves is a place."""
    rng = random.Random(7)
    spots = {d: (43.8 + d / 100, 87.6 + d / 100) for d in range(10)}
    rows = []
    for i in range(300):
        d = rng.randrange(10)
        rows.append({"device_id": f"CAM-{d:03d}", "ts": stamp(T0 + i * 60),
                     "lat": f"{spots[d][0]:.6f}", "lng": f"{spots[d][1]:.6f}"})
    return rows, [finding("lat", "GEO_COORDINATES"), finding("lng", "GEO_COORDINATES")]


def named_tracker():
    """A tracker export without an IMEI finding: the device id is the key because it moves."""
    rows, _ = tracker()
    rows = [{"device_id": r["device_imei"], "ts": r["ts"], "lat": r["lat"], "lng": r["lng"]} for r in rows]
    return rows, [finding("lat", "GEO_COORDINATES"), finding("lng", "GEO_COORDINATES")]


WHERE = Coverage("mem", "mem.db", "log")
TRACES = [
    # builder, kind, key, time, place fields, surveillance
    (face_gate, "face_gate", "sfzh", "tgsj", ("mj_id",), True),
    (checkpoint, "checkpoint", "hphm", "gcsj", ("kkbh", "lat", "lng"), True),
    (sniffer, "device_sighting", "imsi", "seen_at", ("site_id",), False),
    (tracker, "tracker", "device_imei", "ts", ("lat", "lng"), False),
    (internet_cafe, "access_log", "card_no", "login_time", ("terminal_no",), False),
    (named_tracker, "tracker", "device_id", "ts", ("lat", "lng"), False),
]


@pytest.mark.parametrize("build,kind,key,time,places,surveillance", TRACES, ids=lambda x: getattr(x, "__name__", None))
def test_when_key_time_and_place_co_occur_then_trace_has_kind_fields_and_counts(build, kind, key, time, places, surveillance):
    rows, found = build()
    trace = find_trace(sample_of(rows), found, WHERE)
    assert trace is not None
    assert (trace.kind, trace.key_field, trace.time_field) == (kind, key, time)
    assert sorted(trace.place_fields) == sorted(places)
    assert trace.surveillance_log is surveillance
    assert trace.records == sum(COUNTS) and trace.keys == len(COUNTS)
    assert trace.keys_4_plus == 4
    assert trace.points_per_key == {"1": 2, "2-3": 2, "4-9": 2, "10-99": 1, "100+": 1}
    assert sum(trace.points_per_key.values()) == trace.keys and list(trace.points_per_key) == list(BUCKETS)
    assert trace.span_days == round((sum(COUNTS) - 1) * 397 / 86400, 2)
    assert (trace.target, trace.path, trace.container) == ("mem", "mem.db", "log")


@pytest.mark.parametrize("build", [no_times, product_table, registry_one_point_each, fixed_cameras],
                         ids=lambda b: b.__name__)
def test_when_key_time_or_place_is_missing_or_static_then_no_trace(build):
    rows, found = build()
    assert find_trace(sample_of(rows), found, WHERE) is None


@pytest.mark.parametrize("container,surveillance", [("rlsb_jl", True), ("orders", False), (None, False)])
def test_when_container_name_says_face_capture_then_it_is_a_surveillance_log(container, surveillance):
    rows, found = internet_cafe()
    rows = [{k: v for k, v in r.items() if k != "logout_time"} for r in rows]
    trace = find_trace(sample_of(rows), found, Coverage("mem", "mem.db", container))
    assert trace is not None and trace.surveillance_log is surveillance


def test_when_only_one_key_repeats_then_no_trace():
    rows = [{"sfzh": "650102198001010001", "tgsj": stamp(T0 + i * 60), "mj_id": f"MJ-{i % 3}"} for i in range(50)]
    rows += [{"sfzh": f"65010219800101{k:04d}", "tgsj": stamp(T0 + k), "mj_id": "MJ-1"} for k in range(2, 40)]
    assert find_trace(sample_of(rows), [finding("sfzh", "CN_RESIDENT_ID")], WHERE) is None


@pytest.mark.parametrize("mac_share,key", [(2 / 3, "imsi"), (1.0, "imsi"), (None, "mac")])
def test_when_a_key_finding_covers_more_records_then_it_is_the_key(mac_share, key):
    rows, _ = sniffer()
    for i, r in enumerate(rows):
        r["mac"] = f"02:00:00:00:{i % 7:02x}:01"
        if mac_share is None:  # imsi caught in a third of the sightings only
            r["imsi"] = r["imsi"] if i % 3 == 0 else None
        elif mac_share < 1 and i % 3 == 0:
            r["mac"] = None
    n = len(rows)
    found = [finding("imsi", "IMSI", n if mac_share is not None else n // 3),
             finding("mac", "MAC_ADDRESS", round(n * (mac_share or 1.0)))]  # a tie goes to IMSI
    assert find_trace(sample_of(rows), found, WHERE).key_field == key


def test_when_batches_are_split_differently_then_trace_is_the_same():
    rows, found = checkpoint()
    assert find_trace(sample_of(rows, 1), found, WHERE) == find_trace(sample_of(rows, 1000), found, WHERE)


@pytest.mark.parametrize("build", [b for b, *_ in TRACES], ids=lambda b: b.__name__)
def test_when_trace_is_returned_then_it_holds_no_value_and_no_digest(build):
    rows, found = build()
    sample = sample_of(rows)
    trace = find_trace(sample, found, WHERE)
    text = repr(dataclasses.asdict(trace))
    values = {str(v) for r in rows for v in r.values() if v is not None and len(str(v)) >= 5}
    digests = {d for col in sample.digests.values() for d in col if d}
    assert not [v for v in values if v in text]
    assert not [d for d in digests if str(d) in text or f"{d:x}" in text or f"{d:016x}" in text]
