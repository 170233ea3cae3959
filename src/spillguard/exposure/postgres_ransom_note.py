"""postgres-ransom-note: databases, schemas or tables named like a ransom note."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure import _postgres as pg
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome
from spillguard.exposure._ransom import ransom_like

MAX_NAMES = 5
_DATABASES = "SELECT datname FROM pg_database"
_RELATIONS = f"""SELECT n.nspname FROM pg_namespace n WHERE {pg.USER_SCHEMA_SQL}
UNION ALL
SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f') AND {pg.USER_SCHEMA_SQL}
"""


class PostgresRansomNote(Check):
    id = "postgres-ransom-note"
    kinds = ("postgresql",)
    title = "PostgreSQL holds databases or tables named like a ransom note (README, meow, ...)"
    severity = "critical"
    fix = ("Treat the server as breached: take it off the network, do not pay, restore the data "
           "from a backup, rotate every password, close the access the attacker used (see "
           "postgres-trust-auth and postgres-listen-all), and notify as data-protection law requires.")

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            dbs, rels = pg.metadata(ctx, _DATABASES, _RELATIONS)
        except SourceError as exc:
            return Outcome(UNKNOWN, f"cannot list databases and tables: {exc.reason}")
        hits = [f"database {r[0]}" for r in dbs if ransom_like(r[0])]
        hits += [r[0] for r in rels if any(ransom_like(part) for part in r[0].split(".", 1))]
        if not hits:
            return Outcome(NOT_EXPOSED, f"no ransom-note-like name among {len(dbs)} database(s) "
                                        f"and {len(rels)} schema(s)/table(s)")
        more = " ..." if len(hits) > MAX_NAMES else ""
        return Outcome(EXPOSED, f"ransom-note-like names present: {len(hits)} "
                                f"({', '.join(hits[:MAX_NAMES])}{more})")
