"""Location-trace stores for samples/generate.py: a car-tracker export (CSV) and a
phone-sniffer sightings log (JSON lines) under tracking/. Every value is synthetic.

* ``tracking/gps_tracker_export.csv``: 20 trackers x 50 fixes (device_imei, plate, ts as
  epoch seconds, lat, lng with 6 decimals), a random walk around Urumqi over five days.
* ``tracking/wifi_probe_sightings.jsonl``: 200 sightings of 60 phones at 8 sites (mac,
  imsi only at the four sites that also catch IMSIs, seen_at with +08:00, site_id, rssi);
  a few phones are seen often, most once or twice.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import _gen_io as io_
import _gen_values as v

T0 = dt.datetime(2026, 3, 2, 0, 0, 0, tzinfo=dt.timezone.utc)
CENTRE = (43.8256, 87.6168)  # Urumqi


def tracking(out: Path, truth: io_.Truth, rng: random.Random) -> None:
    _tracker(out, truth, rng)
    _sightings(out, truth, rng)


def _tracker(out: Path, truth: io_.Truth, rng: random.Random) -> None:
    rel = "tracking/gps_tracker_export.csv"
    rows = []
    for _ in range(20):
        imei, hp = v.imei(rng), v.plate(rng, *rng.choice([("新", "A"), ("新", "A"), ("新", "B")]))
        lat, lng = CENTRE[0] + rng.uniform(-0.05, 0.05), CENTRE[1] + rng.uniform(-0.05, 0.05)
        for day in range(5):
            t = T0 + dt.timedelta(days=day, hours=rng.randint(0, 3), minutes=rng.randrange(60))
            for _ in range(10):
                t += dt.timedelta(minutes=rng.randint(3, 25), seconds=rng.randrange(60))
                lat += rng.uniform(-0.006, 0.006)
                lng += rng.uniform(-0.008, 0.008)
                rows.append([imei, hp, str(int(t.timestamp())), f"{lat:.6f}", f"{lng:.6f}"])
    rows.sort(key=lambda r: (r[2], r[0]))  # exported in time order, devices interleaved
    io_.write(out, rel, io_.csv_bytes(["device_imei", "plate", "ts", "lat", "lng"], rows))
    truth.add(rel, None, {"device_imei": "IMEI", "plate": "LICENSE_PLATE",
                          "lat": "GEO_COORDINATES", "lng": "GEO_COORDINATES"})


def _sightings(out: Path, truth: io_.Truth, rng: random.Random) -> None:
    rel = "tracking/wifi_probe_sightings.jsonl"
    phones = [(v.mac(rng, local=rng.random() < 0.3), v.imsi(rng)) for _ in range(60)]
    weights = [1 / (i + 1) for i in range(len(phones))]  # a few regulars, many passers-by
    sites = [f"TSQ-WIFI-{n:03d}" for n in range(1, 9)]
    lines = []
    for i in range(200):
        mac, imsi = rng.choices(phones, weights=weights)[0]
        site = rng.randrange(len(sites))
        t = T0 + dt.timedelta(seconds=i * 1290 + rng.randrange(1290))
        rec = {"mac": mac, "seen_at": t.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat(),
               "site_id": sites[site], "rssi": -rng.randint(38, 92)}
        if site < 4:  # these sites also run an IMSI catcher
            rec["imsi"] = imsi
        lines.append(io_.json_line(rec) + "\n")
    io_.write(out, rel, "".join(lines).encode())
    truth.add(rel, None, {"mac": "MAC_ADDRESS", "imsi": "IMSI"})
