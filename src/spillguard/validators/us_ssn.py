"""US social security numbers: stdnum's ``us.ssn`` rules (AAA-GG-SSSS, optional
hyphens; no 000/666/9xx area, 00 group or 0000 serial; not a published advertising
number) without its Unicode clean-up, which costs more than the rules for ASCII input.
tests/validators/test_us_ssn_fast_path.py checks it agrees with stdnum."""

from __future__ import annotations

import re

from stdnum.us import ssn as _ssn

_FORM = re.compile(r"([0-9]{3})-?([0-9]{2})-?([0-9]{4})")
# stdnum's list (us/ssn.py _ssn_blacklist), read from it so an update reaches us too
_ADVERTISED = frozenset(getattr(_ssn, "_ssn_blacklist", ("078-05-1120", "457-55-5462", "219-09-9999")))


def is_valid(text: str) -> bool:
    if not isinstance(text, str) or not text.isascii():
        return _ssn.is_valid(text) if isinstance(text, str) else False
    m = _FORM.fullmatch(text.strip())
    if m is None:
        return False
    area, group, serial = m.groups()
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    # as stdnum: the text as given, hyphenated only when it is nine characters
    shown = f"{text[:3]}-{text[3:5]}-{text[5:]}" if len(text) == 9 else text
    return shown not in _ADVERTISED
