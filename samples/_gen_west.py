"""Western customer store: the same rows as XLSX and Parquet.

Phones use the fictional ranges (US 555-01xx, UK Ofcom drama numbers), e-mail uses the
reserved example.* domains and cards use published test BINs — a detector that drops
"test" or "reserved" values would miss these on purpose-built samples, so it must not.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban

import _gen_io as io_
import _gen_values as v

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
         "David", "Elizabeth", "William", "Susan", "Richard", "Jessica", "Thomas", "Sarah",
         "Oliver", "Amelia", "George", "Isla", "Harry", "Emily", "Jack", "Sophie"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Wilson", "Taylor", "Anderson", "Thomas", "Moore", "Jackson", "Martin", "Evans",
        "Walker", "Wright", "Hughes", "Edwards", "Green", "Hall", "Wood", "Clarke"]
US_PLACES = [("Springfield", "IL", "627"), ("Portland", "OR", "972"), ("Austin", "TX", "787"),
             ("Columbus", "OH", "432"), ("Madison", "WI", "537"), ("Raleigh", "NC", "276")]
US_AREAS = ["212", "312", "415", "617", "202", "503", "512", "614"]
UK_PLACES = [("London", "SW1A", "20", "7946 0"), ("Leeds", "LS1", "113", "496 0"),
             ("Manchester", "M1", "161", "496 0"), ("Bristol", "BS1", "117", "496 0")]
STREETS = ["Maple", "Oak", "Cedar", "Elm", "Church", "High", "Station", "Victoria", "Mill"]
CARD_BINS = [("411111", 16), ("400000", 16), ("424242", 16), ("555555", 16), ("510510", 16),
             ("222300", 16), ("378282", 15), ("601111", 16)]
IBAN_SHAPES = {"GB": lambda r: "NWBK" + _digits(r, 14), "DE": lambda r: _digits(r, 18),
               "NL": lambda r: "ABNA" + _digits(r, 10), "FR": lambda r: _digits(r, 23)}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _iban(rng: random.Random, country: str) -> str:
    for _ in range(100):
        bban = IBAN_SHAPES[country](rng)
        num = "".join(str(int(ch, 36)) for ch in bban + country + "00")
        code = f"{country}{98 - int(num) % 97:02d}{bban}"
        if std_iban.is_valid(code):  # FR also has a national RIB key: retry until it fits
            return code
    raise AssertionError(f"no valid IBAN shape for {country}")


def _ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    s = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    assert s not in ("078051120", "457555462", "219099999")
    return f"{s[:3]}-{s[3:5]}-{s[5:]}" if rng.random() < 0.85 else s


def _card(rng: random.Random) -> str:
    bin_, length = rng.choice(CARD_BINS)
    body = bin_ + _digits(rng, length - len(bin_) - 1)
    n = body + v.luhn_digit(body)
    form = rng.choices(range(3), weights=(70, 20, 10))[0]
    if form == 0 or length != 16:
        return n
    sep = " " if form == 1 else "-"
    return sep.join(n[i:i + 4] for i in range(0, 16, 4))


def _phone(rng: random.Random, uk: bool, place) -> str:
    if uk:
        number = f"+44{place[2]}{place[3].replace(' ', '')}{rng.randrange(1000):03d}"
    else:
        number = f"+1{rng.choice(US_AREAS)}5550{rng.randint(100, 199)}"
    parsed = phonenumbers.parse(number)
    assert phonenumbers.is_valid_number(parsed), "fictional range no longer valid"
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if rng.random() < 0.5 else \
        phonenumbers.PhoneNumberFormat.E164
    return phonenumbers.format_number(parsed, fmt)


def customers(rng: random.Random, n: int = 150) -> list[dict]:
    rows = []
    for i in range(1, n + 1):
        first, last, uk = rng.choice(FIRST), rng.choice(LAST), rng.random() < 0.45
        if uk:
            place = rng.choice(UK_PLACES)
            street = (f"{rng.randint(1, 220)} {rng.choice(STREETS)} Road, {place[0]} "
                      f"{place[1]} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                      f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")
        else:
            place = rng.choice(US_PLACES)
            street = (f"{rng.randint(10, 9999)} {rng.choice(STREETS)} "
                      f"{rng.choice(['St', 'Ave', 'Rd'])}, {place[0]}, {place[1]} "
                      f"{place[2]}{rng.randint(1, 99):02d}")
        mail = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{i}"])
        country = "GB" if uk else rng.choice(["DE", "NL", "FR", "GB"])
        rows.append({
            "customer_id": f"C{i:05d}", "first_name": first, "last_name": last,
            "email": f"{mail.lower()}@example.{rng.choice(['com', 'org', 'net'])}",
            "phone": _phone(rng, uk, place), "ssn": "" if uk else _ssn(rng),
            "street_address": street, "card_number": _card(rng),
            "iban": _iban(rng, country) if uk or rng.random() < 0.4 else "",
            "date_of_birth": v.rand_date(rng, dt.date(1940, 1, 1), dt.date(2005, 12, 31)),
        })
    return rows


def western(out: Path, truth: io_.Truth, rng: random.Random) -> None:
    import pyarrow as pa

    rows = customers(rng)
    cols = list(rows[0])
    io_.write(out, "western_customers.xlsx", io_.xlsx_bytes(
        "customers", cols, [[r[c] if r[c] != "" else None for c in cols] for r in rows],
        "yyyy-mm-dd"))
    types = {c: pa.string() for c in cols} | {"date_of_birth": pa.date32()}
    io_.write(out, "western_customers.parquet",
              io_.parquet_bytes({c: [r[c] if r[c] != "" else None for r in rows] for c in cols},
                                types))
    fields = {"first_name": "PERSON_NAME", "last_name": "PERSON_NAME",
              "email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "ssn": "US_SSN",
              "street_address": "ADDRESS", "card_number": "CREDIT_CARD", "iban": "IBAN",
              "date_of_birth": "DATE_OF_BIRTH"}
    truth.add("western_customers.xlsx", None, fields)
    truth.add("western_customers.parquet", None, fields)
