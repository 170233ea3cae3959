"""Chinese motor-vehicle plates (GA 36): province abbreviation + authority letter + serial.

Forms: ordinary (5 alphanumerics without I/O, at most 2 letters; the last may be
挂 学 警 港 澳 领), new-energy small (D/A/B/C/E/F/G/H/J/K + 1 alphanumeric + 4 digits),
new-energy large (5 digits + D…K), embassy (使 + 6 digits). A plate has no checksum."""

from __future__ import annotations

import re
import unicodedata

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
SEPARATORS = "·・•‧.-－— \u3000\t"
_A = "[A-HJ-NP-Z]"  # letters without I and O
_N = "[A-HJ-NP-Z0-9]"
_NE = "[ABCDEFGHJK]"
_FORMS = {
    "ordinary": re.compile(rf"[{PROVINCES}]{_A}({_N}{{5}})"),
    "special": re.compile(rf"[{PROVINCES}]{_A}({_N}{{4}})[挂学警港澳领]"),
    "new_energy_small": re.compile(rf"[{PROVINCES}]{_A}{_NE}{_N}[0-9]{{4}}"),
    "new_energy_large": re.compile(rf"[{PROVINCES}]{_A}[0-9]{{5}}{_NE}"),
    "embassy": re.compile(r"使[0-9]{6}"),
}
_STRIP = dict.fromkeys(map(ord, SEPARATORS))


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits), separators removed, upper-case."""
    return unicodedata.normalize("NFKC", text).translate(_STRIP).upper()


def kind(text: str) -> str | None:
    """Which plate form the value has, or None."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    n = normalise(text)
    for name, rx in _FORMS.items():
        m = rx.fullmatch(n)
        if m is None:
            continue
        serial = m.group(1) if rx.groups else ""
        if sum(c.isalpha() for c in serial) > 2:  # ordinary serials carry <= 2 letters
            continue
        return name
    return None


def validate(text: str) -> str | None:
    """The normalised plate (``京A12345``) or None."""
    return normalise(text) if kind(text) else None


def is_valid(text: str) -> bool:
    return kind(text) is not None
