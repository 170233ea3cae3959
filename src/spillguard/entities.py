"""The entity catalogue: canonical names (never renamed), category and sensitivity tier.

Tiers drive the simple severity table (see severity.py):
  3 = biometric, special category        (harm if exposed even for few people)
  2 = strong identifiers, device ids, plates, financial, location
  1 = contact details, names, birth dates, addresses, IP addresses
  0 = quasi-identifiers (dangerous in combination, see the risk model)
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    name: str
    category: str
    tier: int
    description: str


_ROWS = [
    ("CN_RESIDENT_ID", "identifier", 2, "PRC resident identity card number (GB 11643-1999)"),
    ("HK_ID", "identifier", 2, "Hong Kong identity card number"),
    ("TW_ID", "identifier", 2, "Taiwan national identification number"),
    ("US_SSN", "identifier", 2, "US social security number"),
    ("PASSPORT_MRZ", "identifier", 2, "Machine-readable zone of a passport or ID card (ICAO 9303)"),
    ("PERSON_NAME", "identifier", 1, "Personal name (Chinese, Uyghur transliterated, Western)"),
    ("DATE_OF_BIRTH", "identifier", 1, "Date of birth"),
    ("PHONE_NUMBER", "contact", 1, "Phone number (mobile or landline)"),
    ("EMAIL_ADDRESS", "contact", 1, "E-mail address"),
    ("ADDRESS", "contact", 1, "Postal or residential address"),
    ("IMEI", "device", 2, "Mobile handset identity (IMEI)"),
    ("IMSI", "device", 2, "Mobile subscriber identity (IMSI)"),
    ("MAC_ADDRESS", "device", 2, "Network hardware (MAC) address"),
    ("IP_ADDRESS", "device", 1, "IP address"),
    ("LICENSE_PLATE", "vehicle", 2, "Vehicle licence plate"),
    ("CREDIT_CARD", "financial", 2, "Payment card number"),
    ("IBAN", "financial", 2, "International bank account number"),
    ("GEO_COORDINATES", "location", 2, "Geographic coordinates"),
    ("LOCATION_TRACE", "location", 3, "Time-stamped whereabouts of a person or device"),
    ("FACE_IMAGE", "biometric", 3, "Image containing a face"),
    ("FACE_EMBEDDING", "biometric", 3, "Face-recognition feature vector"),
    ("FINGERPRINT_TEMPLATE", "biometric", 3, "Fingerprint minutiae template or image"),
    ("IRIS_TEMPLATE", "biometric", 3, "Iris image or template (ISO/IEC 19794-6)"),
    ("POLITICAL_AFFILIATION", "special_category", 3, "Political affiliation or party membership"),
    ("RELIGION", "special_category", 3, "Religious belief"),
    ("ETHNICITY", "special_category", 3, "Ethnic group"),
    ("HEALTH", "special_category", 3, "Health or medical condition"),
    ("AGE", "quasi_identifier", 0, "Age in years"),
    ("GENDER", "quasi_identifier", 0, "Sex or gender"),
    ("MARITAL_STATUS", "quasi_identifier", 0, "Marital status"),
]

ENTITIES: dict[str, Entity] = {r[0]: Entity(*r) for r in _ROWS}


def entity(name: str) -> Entity:
    try:
        return ENTITIES[name]
    except KeyError:
        raise KeyError(f"unknown entity name {name!r}; add it to spillguard.entities") from None
