"""Names left behind by ransom bots and wipers, shared by every store's ransom-note check.

READ_ME / README / PLEASE_READ_ME_XYZ, the 2020 "Meow" wiper, how_to_recover,
RECOVER_YOUR_DATA / FILES, a name that is just WARNING, and "crackit" (the Redis SSH-key attack): a token
between separators, case-insensitive.
Token boundaries keep "homeowners" from matching "meow".
"""

from __future__ import annotations

import re

_SEP = r"[_\-. ]*"
RANSOM_NAME = re.compile(
    rf"(?:^|[^a-z0-9])(read{_SEP}me|meow|how{_SEP}to{_SEP}recover|recover{_SEP}your{_SEP}(?:data|files)"
    rf"|please{_SEP}read|crackit)(?:[^a-z0-9]|\d|$)"
    rf"|^(warning){_SEP}\d*$"  # only the whole name: a "warning_logs" table is ordinary
)


def ransom_match(name: str) -> str | None:
    """The ransom-note token a name carries, normalised (``read_me``), or None."""
    m = RANSOM_NAME.search(name.lower())
    return re.sub(r"[_\-. ]", "_", m.group(1) or m.group(2)) if m else None


def ransom_like(name: str) -> bool:
    return ransom_match(name) is not None
