"""IMSI (ITU-T E.212): MCC (3 digits) + MNC (2-3) + MSIN, 14-15 digits, no checksum.

Validation is structural: a known MCC and, for China (460), a known MNC. Random 15-digit
strings pass about 8 % of the time, so IMSI detection always needs context."""

from __future__ import annotations

# China: 00/02/04/07/08 China Mobile, 01/06/09 Unicom, 03/05/11 Telecom, 15 Broadnet,
# 20 Tietong.
CN_MNC = frozenset("00 01 02 03 04 05 06 07 08 09 11 15 20".split())

# Mobile country codes of common networks (E.212); enough to reject most look-alikes.
MCC = {
    "460": "CN", "454": "HK", "455": "MO", "466": "TW", "440": "JP", "441": "JP",
    "450": "KR", "452": "VN", "456": "KH", "457": "LA", "470": "BD", "502": "MY",
    "505": "AU", "510": "ID", "515": "PH", "520": "TH", "525": "SG", "530": "NZ",
    "404": "IN", "405": "IN", "410": "PK", "412": "AF", "413": "LK", "414": "MM",
    "415": "LB", "416": "JO", "417": "SY", "418": "IQ", "419": "KW", "420": "SA",
    "424": "AE", "425": "IL", "427": "QA", "428": "MN", "432": "IR", "434": "UZ",
    "436": "TJ", "437": "KG", "438": "TM", "401": "KZ", "202": "GR", "204": "NL",
    "206": "BE", "208": "FR", "214": "ES", "222": "IT", "226": "RO", "228": "CH",
    "230": "CZ", "232": "AT", "234": "GB", "235": "GB", "238": "DK", "240": "SE",
    "242": "NO", "244": "FI", "250": "RU", "255": "UA", "257": "BY", "260": "PL",
    "262": "DE", "268": "PT", "272": "IE", "286": "TR", "302": "CA", "310": "US",
    "311": "US", "312": "US", "313": "US", "314": "US", "315": "US", "316": "US",
    "334": "MX", "602": "EG", "621": "NG", "655": "ZA", "722": "AR", "724": "BR",
    "730": "CL", "732": "CO",
}


def validate(text: str) -> str | None:
    """The digits when they are a structurally valid IMSI, else None."""
    if not isinstance(text, str) or len(text) not in (14, 15):
        return None
    if not text.isascii() or not text.isdigit():
        return None
    if text[:3] not in MCC:
        return None
    if text[:3] == "460" and text[3:5] not in CN_MNC:
        return None
    return text


def country(text: str) -> str | None:
    """ISO country of a valid IMSI's MCC."""
    return MCC.get(text[:3]) if validate(text) else None


def is_valid(text: str) -> bool:
    return validate(text) is not None
