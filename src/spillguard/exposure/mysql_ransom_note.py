"""mysql-ransom-note: databases or tables named like a wiping bot's ransom note."""

from __future__ import annotations

from spillguard.exposure._mysql import driver, rows, session, unknown
from spillguard.exposure._ransom import ransom_match
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, Check, CheckContext, Outcome

_TABLE_PATTERNS = ("%read%me%", "%please%read%", "%recover%", "warning%", "meow%")
_TABLE_FILTER = " OR ".join(["LOWER(TABLE_NAME) LIKE %s"] * len(_TABLE_PATTERNS))


class MysqlRansomNote(Check):
    id = "mysql-ransom-note"
    kinds = ("mysql",)
    title = "Ransom-note databases or tables (the store was already wiped or copied)"
    severity = "critical"
    fix = (
        "Treat the server as breached: take it off the network (bind-address = 127.0.0.1, "
        "firewall 3306), rotate every password, restore from backup, notify the people "
        "affected and the authority as the law requires, and keep the note for the investigation. "
        "Never pay: the data is usually gone."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            with session(ctx) as conn:
                dbs = [str(r[0]) for r in rows(conn, "SHOW DATABASES")]
                tables = [str(r[0]) for r in rows(
                    conn, "SELECT TABLE_NAME FROM information_schema.TABLES "
                          f"WHERE {_TABLE_FILTER} LIMIT 1000", _TABLE_PATTERNS)]
        except driver().err.MySQLError as exc:
            return unknown("could not list databases and tables", exc)
        hit_dbs = {p for p in map(ransom_match, dbs) if p}
        hit_tables = [p for p in map(ransom_match, tables) if p]
        if hit_dbs or hit_tables:
            n_db = sum(1 for d in dbs if ransom_match(d))
            patterns = ", ".join(sorted(hit_dbs | set(hit_tables)))
            return Outcome(EXPOSED, f"ransom-note-like names present: {n_db} database(s), "
                                    f"{len(hit_tables)} table(s) (patterns: {patterns})")
        return Outcome(NOT_EXPOSED, f"no ransom-note-like name among {len(dbs)} visible database(s) "
                                    "and their tables")
