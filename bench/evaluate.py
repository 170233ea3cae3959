"""Recall and precision of a tool's predictions against the planted manifest.

Only the entity types a tool shares with spillguard count, and only the planted ones
(nothing else personal is planted). A prediction of an unshared type (DataFog's DATE
and ZIP_CODE, spillguard's IMSI …) is left out of both numbers.

* Free text (the ``TEXT_FORMATS``: text.log, PII-dense, and logs.log, sparse), span
  level, unit = line: a prediction is correct when it overlaps a planted span of the
  same entity on the same line; a planted span is found when at least one prediction of
  its entity overlaps it. (Overlap, not exact bounds: DataFog reports
  ``user=zhou@gmail.com`` for ``zhou@gmail.com``.)
* Records (CSV, JSON Lines), value level: a prediction is correct when a value planted
  in the same record with the same entity contains it or is contained in it.
* spillguard end to end, records: field level. Its report has one finding per (field,
  entity); correct when that field holds that entity in the manifest.
* spillguard end to end, free text (text and logs): its report has counts per entity,
  not spans; the proxy is recall ≈ Σ min(found, planted) / Σ planted, precision ≈
  Σ min(found, planted) / Σ found. The "detectors (spans)" row gives the exact span-level numbers for the same
  detectors.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field

csv.field_size_limit(sys.maxsize)

# corpus formats that are free text (one unit = one line, manifest of character spans)
TEXT_FORMATS = ("text", "logs")
ENTITIES = ("CN_RESIDENT_ID", "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS", "MAC_ADDRESS",
            "CREDIT_CARD", "IBAN", "US_SSN")
SPILLGUARD_MAP = {e: e for e in ENTITIES}
DATAFOG_MAP = {"EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER", "SSN": "US_SSN",
               "CREDIT_CARD": "CREDIT_CARD", "IP_ADDRESS": "IP_ADDRESS"}
PRESIDIO_MAP = {"EMAIL_ADDRESS": "EMAIL_ADDRESS", "PHONE_NUMBER": "PHONE_NUMBER",
                "CREDIT_CARD": "CREDIT_CARD", "IBAN_CODE": "IBAN", "IP_ADDRESS": "IP_ADDRESS",
                "US_SSN": "US_SSN", "MAC_ADDRESS": "MAC_ADDRESS"}


@dataclass
class Score:
    shared: tuple[str, ...]
    tp_pred: Counter = field(default_factory=Counter)  # per entity
    pred: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    planted: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float | None:
        n = sum(self.planted.values())
        return sum(self.found.values()) / n if n else None

    @property
    def precision(self) -> float | None:
        n = sum(self.pred.values())
        return sum(self.tp_pred.values()) / n if n else None

    def per_entity(self) -> dict[str, dict]:
        out = {}
        for e in self.shared:
            out[e] = {"planted": self.planted[e], "found": self.found[e], "predicted": self.pred[e],
                      "correct": self.tp_pred[e],
                      "recall": _ratio(self.found[e], self.planted[e]),
                      "precision": _ratio(self.tp_pred[e], self.pred[e])}
        return out

    def as_dict(self) -> dict:
        return {"recall": self.recall, "precision": self.precision, "shared": list(self.shared),
                "per_entity": self.per_entity()}


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(r, None)
        yield from r


def load_predictions(path, mapping: dict[str, str], min_score: float | None = None):
    """(record, start, end, entity, text) of the mapped types; ``TYPE@score`` types are
    filtered by ``min_score``."""
    out = []
    for rec, start, end, typ, *text in _rows(path):
        score = None
        if "@" in typ:
            typ, s = typ.rsplit("@", 1)
            score = float(s)
        ent = mapping.get(typ)
        if ent is None or (min_score is not None and score is not None and score < min_score):
            continue
        out.append((int(rec), int(start), int(end), ent, text[0] if text else ""))
    return out


def score_text(manifest, preds, records: int, shared) -> Score:
    """Span level on the first ``records`` lines (any of the TEXT_FORMATS)."""
    sc = Score(tuple(shared))
    truth: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for line, cs, ce, _bs, _be, ent in _rows(manifest):
        line_no = int(line)
        if line_no >= records:
            break
        if ent in sc.shared:
            truth[line_no].append((int(cs), int(ce), ent))
            sc.planted[ent] += 1
    hit: set[tuple[int, int, str]] = set()
    for rec, start, end, ent, _ in preds:
        if rec >= records or ent not in sc.shared:
            continue
        sc.pred[ent] += 1
        ok = False
        for cs, ce, tent in truth.get(rec, ()):
            if tent == ent and start < ce and cs < end:
                hit.add((rec, cs, tent))
                ok = True
        if ok:
            sc.tp_pred[ent] += 1
    for _rec, _cs, ent in hit:
        sc.found[ent] += 1
    return sc


def score_records(manifest, preds, records: int, shared) -> Score:
    """Value level on the first ``records`` records."""
    sc = Score(tuple(shared))
    truth: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for rec, _field, ent, value in _rows(manifest):
        r = int(rec)
        if r >= records:
            break
        if ent in sc.shared:
            truth[r].append((ent, value))
            sc.planted[ent] += 1
    hit: set[tuple[int, int]] = set()
    for rec, _s, _e, ent, text in preds:
        if rec >= records or ent not in sc.shared:
            continue
        sc.pred[ent] += 1
        t = text.strip()
        ok = False
        for k, (tent, value) in enumerate(truth.get(rec, ())):
            if tent == ent and t and (t in value or value in t):
                hit.add((rec, k))
                ok = True
        if ok:
            sc.tp_pred[ent] += 1
    for rec, k in hit:
        sc.found[truth[rec][k][0]] += 1
    return sc


def score_fields(summary_fields: dict[str, int], report: dict) -> tuple[Score, list[dict]]:
    """Field level for spillguard's end-to-end report on a record format."""
    sc = Score(ENTITIES)
    truth = {tuple(k.split("\t")): n for k, n in summary_fields.items()}
    for (_f, ent) in truth:
        sc.planted[ent] += 1
    found = {}
    for f in report.get("findings", []):
        if f["entity"] in ENTITIES:
            found[(f["field"], f["entity"])] = f["count"]
    for (fld, ent) in found:
        sc.pred[ent] += 1
        if (fld, ent) in truth:
            sc.tp_pred[ent] += 1
            sc.found[ent] += 1
    counts = [{"field": f, "entity": e, "planted": n, "reported": found.get((f, e))}
              for (f, e), n in sorted(truth.items())]
    counts += [{"field": f, "entity": e, "planted": 0, "reported": n}
               for (f, e), n in sorted(found.items(), key=lambda x: (str(x[0][0]), x[0][1])) if (f, e) not in truth]
    return sc, counts


def score_counts(planted: dict[str, int], report: dict) -> tuple[Score, list[dict]]:
    """Count proxy for spillguard's end-to-end report on free text."""
    sc = Score(ENTITIES)
    found: Counter = Counter()
    for f in report.get("findings", []):
        if f["field"] is None and f["entity"] in ENTITIES:
            found[f["entity"]] += f["count"]
    for e in ENTITIES:
        sc.planted[e] = planted.get(e, 0)
        sc.pred[e] = found[e]
        m = min(found[e], sc.planted[e])
        sc.found[e] = m
        sc.tp_pred[e] = m
    return sc, [{"entity": e, "planted": sc.planted[e], "reported": found[e]} for e in ENTITIES]
