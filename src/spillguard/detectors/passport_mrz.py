"""PASSPORT_MRZ: machine-readable zones of passports and ID cards (ICAO 9303 TD1/TD2/TD3)
with all their check digits. In free text the lines are separated by newlines; in a
field the whole value is the zone (lines may also be joined)."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import mrz

_C = "[A-Z0-9<]"
_NL = "(?:\r?\n| )?"
_SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
_TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
_TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"


class PassportMrzDetector(PatternDetector):
    id = "passport-mrz"
    entity = "PASSPORT_MRZ"
    description = "ICAO 9303 machine-readable zone (TD1, TD2, TD3) with valid check digits"
    field_names = ("mrz", "passport", "护照", "護照", "machinereadable", "hzhm")
    text_keywords = ("mrz", "passport", "护照", "護照")
    base_score = 0.95
    pattern = (
        rf"(?<![A-Z0-9<])(?P<v>{_C}{{44}}{_NL}{_C}{{44}}|{_C}{{36}}{_NL}{_C}{{36}}"
        rf"|{_C}{{30}}{_NL}{_C}{{30}}{_NL}{_C}{{30}})(?![A-Z0-9<])"
    )

    # The zone spans lines, so the pattern cannot be rewritten per line; every one of its
    # lines has at least 30 zone characters, so this marks each of them (gate.py).
    gate = "[A-Z0-9<]{30}"

    def validate(self, candidate: str) -> Verdict | None:
        m = mrz.validate(candidate)
        if m is None:
            return None
        return Verdict("\n".join(m.lines), 0.95, f"{m.kind} MRZ, all check digits valid")

    positives = (
        Example(_SPECIMEN, "passport_mrz", note="ICAO specimen, TD3"),
        Example(_SPECIMEN.replace("\n", ""), "mrz", note="lines joined"),
        Example("Scanned page:\n" + _SPECIMEN + "\nend"),
        Example(_TD1, "id_card_mrz", note="TD1"),
        Example("zone\n" + _TD2, note="TD2"),
    )
    negatives = (
        Example(_SPECIMEN.replace("7408122F", "7408132F"), "mrz", note="birth date check fails"),
        Example(_SPECIMEN[:-1] + "1", note="composite check fails"),
        Example("X" + _SPECIMEN[1:], "mrz", note="TD3 must start with P"),
        Example("<" * 44 + "\n" + "<" * 44, "mrz", note="fillers only"),
        Example(_SPECIMEN.split("\n")[1], "mrz", note="one line only"),
    )
