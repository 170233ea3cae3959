"""Names left behind by ransom bots and wipers, shared by every store's ransom-note check.

READ_ME / README / PLEASE_READ_ME_XYZ, the 2020 "Meow" wiper, how_to_recover,
RECOVER_YOUR_DATA / FILES, warning: a token between separators, case-insensitive.
Token boundaries keep "homeowners" from matching "meow".
"""

from __future__ import annotations

import re

RANSOM_NAME = re.compile(
    r"(?:^|[^a-z0-9])(read[_\-. ]?me|meow|how[_\-. ]?to[_\-. ]?recover|"
    r"recover[_\-. ]?your[_\-. ]?(?:data|files)|please[_\-. ]?read|warning)(?:[^a-z0-9]|$)"
)


def ransom_match(name: str) -> str | None:
    """The ransom-note token a name carries, normalised (``read_me``), or None."""
    m = RANSOM_NAME.search(name.lower())
    return re.sub(r"[_\-. ]", "_", m.group(1)) if m else None


def ransom_like(name: str) -> bool:
    return ransom_match(name) is not None
