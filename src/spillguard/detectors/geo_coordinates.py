"""GEO_COORDINATES: "lat,lng" strings, WKT POINT, [lng, lat] lists and lat/lng column pairs
(lat + lng, latitude + longitude, wd + jd, 纬度 + 经度, pos.lat + pos.lng, gps_lat + gps_lng).

At least 3 decimals (about 100 m) are required, so integers and rounded values are not
coordinates. Each column of a pair is reported; a lone lat column or an unnamed list of
two floats stays below 0.5."""

import re

from spillguard.detectors._vocabulary import VocabularyDetector
from spillguard.detectors.base import ColumnStats, Example as E, Hit
from spillguard.detectors.context import FieldContext, tokens
from spillguard.detectors.automaton import automaton_pattern
from spillguard.detectors.column_view import column
from spillguard.detectors.gate import gated_finditer

_N = r"-?\d{1,3}\.\d{3,}"
_PAIR = re.compile(rf"\(?\s*({_N})\s*[,，\s]\s*({_N})\s*\)?|POINT\s*\(\s*({_N})\s+({_N})\s*\)", re.I)
_TEXT_PAIR = re.compile(rf"(?<![\d.])({_N})\s*[,，]\s*({_N})(?![\d.])")
_TEXT_NAMED = re.compile(rf"\blat(?:itude)?\s*[:=]\s*({_N})\s*[,;&\s]\s*(?:lng|lon|long|longitude)\s*[:=]\s*({_N})", re.I)
_ONE = re.compile(r"-?\d{1,3}(?:\.(\d*))?")
_LAT, _LNG = ("latitude", "lat", "wd", "纬度"), ("longitude", "lng", "lon", "long", "jd", "经度")
_KEYWORDS = ("坐标", "经纬度", "位置", "定位", "gps", "location", "coordinates", "latlng", "lat/lng", "position")


def _pair(a: float, b: float, score: float, why: str) -> tuple[str, float, str] | bool:
    ok = (a, b) != (0.0, 0.0) and ((abs(a) <= 90 and abs(b) <= 180) or (abs(a) <= 180 and abs(b) <= 90))
    return (f"{a:.4f},{b:.4f}", score, why) if ok else False


def _split(path: str) -> tuple[str, str]:
    parent, _, name = path.replace("[]", "").rpartition(".")
    return parent, "".join(tokens(name))


def half(path: str | None, siblings: frozenset[str]) -> tuple[float, str | None] | None:
    """(range limit, partner path) when the field is one half of a lat/lng pair."""
    parent, me = _split(path or "")
    peers = {j: s for s in siblings for p, j in [_split(s)] if p == parent}
    for mine, theirs, limit in ((_LAT, _LNG, 90.0), (_LNG, _LAT, 180.0)):
        for k in (k for k in mine if path and (me.endswith(k) or me.startswith(k))):
            pre, suf = (me[: -len(k)], "") if me.endswith(k) else ("", me[len(k) :])
            partner = next((peers[pre + k2 + suf] for k2 in theirs if pre + k2 + suf in peers), None)
            if partner or k in tokens(path.rpartition(".")[2]) or not k.isascii():
                return limit, partner
    return None


class GeoCoordinatesDetector(VocabularyDetector):
    id = "geo-coordinates"
    entity = "GEO_COORDINATES"
    description = "Geographic coordinates: lat,lng strings, [lng, lat] lists, lat/lng column pairs"
    field_names = ("location", "loc", "coord", "gps", "geo", "position", "pos", "point", "latlng", "lnglat",
                   "latlon", "lonlat", "坐标", "经纬度", "位置", "定位", "zb", "jwd", "geom", "centroid")

    def _judge(self, t, r, named: bool, half_):
        if isinstance(r, (list, tuple)):
            if len(r) != 2 or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in r):
                return None
            a, b = float(r[0]), float(r[1])
            if min(len(repr(x).partition(".")[2]) for x in (a, b)) < 3:
                return False
            return _pair(a, b, 0.9 if named else 0.45, "two-number coordinate list")
        m = _PAIR.fullmatch(t.strip()) if t else None
        if m:
            return _pair(float(m[1] or m[3]), float(m[2] or m[4]), 0.95 if named else 0.7, "coordinate pair")
        m = _ONE.fullmatch(t.strip()) if t and half_ else None
        if m is None:
            return None
        v, (limit, partner) = float(t), half_
        if len(m[1] or "") < 3 or abs(v) > limit or v == 0:
            return False
        return (f"{v:.4f}", 0.9, "lat/lng column pair") if partner else (f"{v:.4f}", 0.4, "lone lat/lng column")

    def scan_column(self, texts, raw, ctx):
        named, half_ = self.field_name(ctx) is not None, half(ctx.path, ctx.siblings)
        hits, candidates = [], 0
        pairs = automaton_pattern(_PAIR.pattern, _PAIR.flags)
        for i in range(len(texts)) if half_ else column(texts, raw).rows_where(pairs, (list, tuple)):
            t, r = texts[i], raw[i]
            j = self._judge(t, r, named, half_)
            candidates += j is not None
            if j:
                hits.append(Hit(i, 0, len(t) if t else 0, j[0], j[1], j[2], self.entity))
        return hits, candidates, len(hits)

    def confidence(self, stats: ColumnStats, ctx: FieldContext):
        if not stats.validated:
            return 0.0, []
        n, half_ = max(stats.nonempty, stats.candidates, 1), half(ctx.path, ctx.siblings)
        evidence = [f"{stats.validated}/{n} values are coordinates"]
        if half_ and half_[1]:
            evidence.append(f"paired with field '{half_[1]}'")
        conf = stats.mean_score * min(1.0, stats.validated / n / 0.5)
        if conf < 0.5:
            evidence.append("possible coordinates: no telling field name or partner column")
        return round(min(conf, 1.0), 2), evidence

    def scan_text(self, text: str, floor: float = 0.0) -> list[Hit]:
        hits = []
        for rx, score in ((_TEXT_NAMED, 0.9), (_TEXT_PAIR, 0.85)):
            for m in gated_finditer(rx, text):
                before = text[max(0, m.start() - 24) : m.start()].lower()
                j = _pair(float(m[1]), float(m[2]), score, "coordinates after a keyword")
                if j and (rx is _TEXT_NAMED or any(k in before for k in _KEYWORDS)):
                    hits.append(Hit(0, m.start(), m.end(), j[0], j[1], j[2], self.entity))
        return hits

    positives = (
        E("39.9042,116.4074", field="location"),
        E("39.904200", field="lat", siblings=("lng",)),
        E(116.407396, field="pos.lng", siblings=("pos.lat",)),
        E("30.5728", field="纬度", siblings=("经度",)),
        E([116.4074, 39.9042], field="geometry.coordinates"),
        E("31.230416, 121.473701", field="c5", note="a coordinate string without a field name"),
        E("抓拍地点坐标：39.9042,116.4074 设备编号略"),
        E("lat: 39.9042, lng: 116.4074"),
    )
    negatives = (
        E("39.9", field="lat", siblings=("lng",), note="too few decimals"),
        E(39, field="lat", siblings=("lng",)),
        E("39.9042", field="lat", note="half a pair"),
        E([116.4074, 39.9042], field="c5", note="two floats without context"),
        E("95.1234", field="lat", siblings=("lng",)),
        E("version 1.2345,6.789 released"),
    )
