"""LOCATION_TRACE: a container where a person or device KEY, a TIME and a PLACE co-occur
in the same records (face-gate entry logs, checkpoint plate passes, phone-sniffer
sightings, car-tracker exports, hotel and internet-cafe registrations).

Works on the value-free RecordSample (keyed digests and epoch seconds) and the field
findings of the container. Returns counts only: how many keys, how many points per key,
how many keys have the four points that make about 95 % of people unique (de Montjoye et
al. 2013), the time span, and the field names it used. Never a key, a time or a place.

* key: a field with a strong-identifier finding (most records first), else a field named
  like a person key; a field named like a device id only with coordinates and only when
  its keys move (a camera or gate id is a place, not a person).
* time: >= 80 % of the non-empty cells parse as a point in time; the name ranks them
  (pass/capture times before created/updated, birth dates never).
* place: a lat/lng pair (both halves), a coordinate field, or a field named like a gate,
  door, camera, checkpoint, site, terminal, location; more than one distinct value.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable

from spillguard.detectors.context import name_matches
from spillguard.detectors.geo_coordinates import half
from spillguard.models import Coverage, Finding, Trace
from spillguard.scanning.records import RecordSample

# Strong identifiers that can key a trace, best first when record counts tie.
KEY_ENTITIES = ("CN_RESIDENT_ID", "HK_ID", "TW_ID", "US_SSN", "PASSPORT_MRZ", "IMEI", "IMSI", "MAC_ADDRESS",
                "LICENSE_PLATE", "PHONE_NUMBER", "EMAIL_ADDRESS")
DEVICE_ENTITIES = ("IMEI", "IMSI", "MAC_ADDRESS")
GEO = "GEO_COORDINATES"
PLACE_FINDINGS = (GEO, "ADDRESS", "IP_ADDRESS")  # findings a place-named field may also carry
MIN_TIME_SHARE = 0.8
BUCKETS = ("1", "2-3", "4-9", "10-99", "100+")

# Every field-name vocabulary of this module, in one table (matched with name_matches:
# short ASCII keywords must be whole tokens, longer ones and CJK may appear anywhere).
NAMES: dict[str, tuple[str, ...]] = {
    "person_key": ("person_id", "personid", "user_id", "userid", "uid", "ryid", "rybh", "card_no", "cardno",
                   "card_id", "member_id", "customer_id", "sfzh", "gmsfhm", "zjhm", "身份证", "证件号",
                   "人员编号", "人员id", "用户id", "卡号", "hphm", "cph", "plate", "车牌", "号牌"),
    "plate": ("hphm", "cph", "plate", "车牌", "号牌"),
    "device_key": ("device_id", "deviceid", "dev_id", "tracker_id", "gps_id", "sbbh", "sbid", "设备编号",
                   "设备id", "imei", "imsi", "mac"),
    "time": ("time", "ts", "sj", "timestamp", "datetime", "seen_at", "seenat", "occurred", "时间", "时刻",
             "tgsj", "gcsj", "zpsj", "jcsj", "crsj", "sbsj", "dlsj", "swsj", "rzsj", "kssj", "jssj",
             "checkin", "checkout", "login", "logout", "captured", "passed"),
    "time_weak": ("created", "updated", "modified", "create_time", "update_time", "cjsj", "gxsj", "rksj",
                  "xgsj", "date", "rq", "日期", "创建", "更新", "入库"),
    "not_time": ("birth", "dob", "born", "csrq", "出生", "生日", "age"),
    "place": ("gate", "door", "camera", "checkpoint", "site", "卡口", "kkbh", "kkmc", "kkdm", "门禁", "mj",
              "mjbh", "mj_id", "sxt", "sxtbh", "摄像", "device", "sbbh", "sbid", "设备", "terminal",
              "终端", "location", "address", "addr", "地址", "地点", "位置", "place", "station", "基站",
              "cell_id", "lac", "bssid", "ap_mac", "hotel", "旅馆", "酒店", "lgbm", "lgdm", "场所", "csbm",
              "网吧", "wbbh", "entrance", "出入口", "通道"),
    "not_place": ("url", "uri", "pic", "img", "image", "photo", "snapshot", "snap", "抓拍", "图片", "照片",
                  "zpdz", "tp", "path", "file"),
    "face": ("face", "snapshot", "snap", "similarity", "抓拍", "人脸", "相似度", "rlsb", "rlzp",
             "zpdz", "zpsj", "zptp", "xsd", "capture", "门禁"),
    "door": ("gate", "door", "门禁", "门", "mj", "mjbh", "mj_id", "entrance", "出入口", "通道", "闸机"),
    "checkpoint": ("checkpoint", "卡口", "kkbh", "kkmc", "kkdm", "bayonet", "toll", "过车"),
    "sniffer": ("site", "probe", "sniffer", "侦码", "嗅探", "采集", "电子围栏", "fence", "collector", "ap_mac",
                "bssid", "station", "基站", "wifi"),
    "access": ("terminal", "login", "logon", "logout", "session", "上网", "上机", "登录", "终端", "dlsj",
               "swsj"),
    "surveillance": ("face", "snapshot", "snap", "capture", "similarity", "camera", "门禁", "抓拍", "进出",
                     "卡口", "人脸", "相似度", "rlsb", "zpdz", "zpsj", "xsd", "mj", "mjbh", "kkbh", "kkmc",
                     "sxt", "摄像", "checkpoint", "bayonet", "sniffer", "probe", "侦码", "嗅探", "电子围栏"),
}


def _named(name: str, vocab: str) -> str | None:
    """The keyword of NAMES[vocab] that a field path or container name carries."""
    return name_matches(name.replace("[]", "").replace(".", "_"), NAMES[vocab])


def find_trace(sample: RecordSample, findings: list[Finding], where: Coverage) -> Trace | None:
    """The location trace in one container's record sample, or None."""
    if not sample.n:
        return None
    fields = sample.fields
    entities: dict[str, dict[str, int]] = defaultdict(dict)  # field -> entity -> records
    for f in findings:
        if f.field in sample.digests:
            entities[f.field][f.entity] = max(f.records, entities[f.field].get(f.entity, 0))
    times = _time_fields(sample, entities)
    if not times:
        return None
    time_field, parsed, nonempty = times[0]
    places = _place_groups(sample, entities, time_field)
    has_geo = any(why == "coordinates" for _, why in places)
    for key_field, key_why, device_named in _key_fields(sample, entities, time_field, has_geo):
        groups = [(g, why) for g, why in places if key_field not in g]
        if not groups:
            continue
        pts = _points(sample, key_field, time_field, [g for g, _ in groups])
        if pts is None or (device_named and not pts["moves"]):
            continue
        schema = _schema(fields, where)
        kind = _kind(schema, entities.get(key_field, {}), key_field, device_named, groups)
        hint = next((f"'{n}'" for n in schema if _named(n, "surveillance")), None)
        evidence = [
            f"key: field '{key_field}' ({key_why})",
            f"time: field '{time_field}' ({parsed}/{nonempty} values are times)",
            *(f"place: field{'s' if len(g) > 1 else ''} {'+'.join(repr(x) for x in g)} ({why})" for g, why in groups),
            f"{pts['keys_4_plus']} of {pts['keys']} keys have 4 or more points (4 points make ~95 % of people unique)",
        ]
        if hint:
            evidence.append(f"surveillance schema: {hint}")
        return Trace(
            target=where.target, path=where.path, container=where.container, kind=kind,
            key_field=key_field, time_field=time_field,
            place_fields=tuple(x for g, _ in groups for x in g),
            records=pts["records"], keys=pts["keys"], keys_4_plus=pts["keys_4_plus"],
            span_days=pts["span_days"], points_per_key=pts["hist"],
            surveillance_log=hint is not None, evidence=tuple(evidence),
        )
    return None


def _time_fields(sample: RecordSample, entities: dict) -> list[tuple[str, int, int]]:
    """(field, parsed, non-empty) of the fields that hold times, best first."""
    ranked = []
    for i, f in enumerate(sample.fields):
        if f in entities or _named(f, "not_time"):
            continue
        nonempty = sum(1 for d in sample.digests[f] if d)
        stamps = [t for t in sample.times[f] if not math.isnan(t)]
        if not nonempty or len(stamps) < MIN_TIME_SHARE * nonempty or len(set(stamps)) < 2:
            continue
        strength = 1 if _named(f, "time_weak") else 2 if _named(f, "time") else 0
        ranked.append((-strength, -len(stamps), i, f, len(stamps), nonempty))
    return [(f, p, n) for *_, f, p, n in sorted(ranked)]


def _place_groups(sample: RecordSample, entities: dict, time_field: str) -> list[tuple[tuple[str, ...], str]]:
    """Place field groups with more than one distinct value: lat/lng pairs count as one."""
    fields, groups, seen = sample.fields, [], set()
    geo = [f for f in fields if GEO in entities.get(f, {})]
    for f in geo:
        partner = (half(f, frozenset(fields) - {f}) or (0, None))[1]
        g = tuple(sorted({f, partner} if partner in geo else {f}, key=fields.index))
        if g not in seen:
            seen.add(g)
            groups.append((g, "coordinates"))
    for f in fields:
        if f == time_field or f in geo or any(e not in PLACE_FINDINGS for e in entities.get(f, {})):
            continue
        kw = _named(f, "place")
        if kw and not _named(f, "not_place"):
            groups.append(((f,), f"named like a place: {kw}"))
    return [(g, why) for g, why in groups if len(_distinct(sample, g)) > 1]


def _key_fields(
    sample: RecordSample, entities: dict, time_field: str, has_geo: bool
) -> Iterable[tuple[str, str, bool]]:
    """(field, why, named like a device) key candidates, best first."""
    rank = {e: i for i, e in enumerate(KEY_ENTITIES)}
    fields = sample.fields
    strong = sorted(
        ((-n, rank[e], fields.index(f), f, e) for f, es in entities.items() for e, n in es.items() if e in rank),
    )
    done = set()
    for *_, f, e in strong:
        if f not in done:
            done.add(f)
            yield f, e, False
    for vocab in ("person_key", "device_key"):
        if vocab == "device_key" and not has_geo:
            return  # a camera / gate / device id without coordinates is a place
        for f in fields:
            kw = _named(f, vocab)
            if kw and f not in done and f != time_field and f not in entities:
                done.add(f)
                yield f, f"named like a {vocab.replace('_', ' ')}: {kw}", vocab == "device_key"


def _distinct(sample: RecordSample, group: tuple[str, ...]) -> set[tuple[int, ...]]:
    cols = [sample.digests[f] for f in group]
    return {c for c in zip(*cols) if all(c)}


def _points(sample: RecordSample, key_field: str, time_field: str, groups: list[tuple[str, ...]]) -> dict | None:
    """Counts of the records that carry a key, a time and a place; None if no trace."""
    keys, times = sample.digests[key_field], sample.times[time_field]
    cols = [[sample.digests[f] for f in g] for g in groups]
    points: dict[int, set] = defaultdict(set)
    places: dict[int, set] = defaultdict(set)
    records, lo, hi = 0, math.inf, -math.inf
    for i in range(sample.n):
        k, t = keys[i], times[i]
        if not k or math.isnan(t):
            continue
        place = tuple(tuple(c[i] for c in g) for g in cols)
        if not any(all(p) for p in place):
            continue
        records += 1
        lo, hi = min(lo, t), max(hi, t)
        points[k].add((t, place))
        places[k].add(place)
    counts = [len(p) for p in points.values()]
    if sum(1 for c in counts if c >= 2) < 2:
        return None
    hist = dict.fromkeys(BUCKETS, 0)
    for c in counts:
        hist[_bucket(c)] += 1
    return {
        "records": records, "keys": len(counts), "keys_4_plus": sum(1 for c in counts if c >= 4),
        "span_days": round((hi - lo) / 86400, 2), "hist": hist,
        "moves": sum(1 for p in places.values() if len(p) >= 2) >= 2,
    }


def _bucket(n: int) -> str:
    return "1" if n == 1 else "2-3" if n <= 3 else "4-9" if n <= 9 else "10-99" if n <= 99 else "100+"


def _schema(fields: list[str], where: Coverage) -> list[str]:
    """Field paths plus the container's name (the table, or the file stem)."""
    name = where.container or where.path or ""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
    return list(fields) + ([stem] if stem else [])


def _kind(schema: list[str], key_entities: dict, key_field: str, device_named: bool, groups: list) -> str:
    def says(vocab: str) -> bool:
        return any(_named(n, vocab) for n in schema)

    coords = any(why == "coordinates" for _, why in groups)
    plate = "LICENSE_PLATE" in key_entities or (not key_entities and _named(key_field, "plate") is not None)
    device = device_named or any(e in DEVICE_ENTITIES for e in key_entities)
    if says("face") and says("door"):
        return "face_gate"
    if plate and says("checkpoint"):
        return "checkpoint"
    if device and says("sniffer"):
        return "device_sighting"
    if (device or plate) and coords:
        return "tracker"
    if says("access"):
        return "access_log"
    return "generic"
