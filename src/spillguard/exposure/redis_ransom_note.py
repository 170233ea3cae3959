"""redis-ransom-note: key names left by ransom bots (READ_ME, meow, how_to_recover, ...)
or by cron-injection bots (backup1..backup4, crackit). Key names only: values are never
read. One SCAN pass per database (never KEYS), names compared locally, so that a
keyspace is walked once rather than once per pattern."""

from __future__ import annotations

from spillguard.exposure._ransom import RANSOM_NAME
from spillguard.exposure._redis import (
    CRON_KEYS, KIND, account, redis_client, target_db, unknown,
)
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

MAX_KEYS = 1_000_000  # key names looked at per target
SCAN_COUNT = 1000


class RedisRansomNote(Check):
    id = "redis-ransom-note"
    kinds = (KIND,)
    title = "Redis holds ransom-note-like key names (data likely already taken)"
    severity = "critical"
    fix = (
        "Treat the server as breached: the data was read and probably deleted. Take it off the "
        "network, set `requirepass`/ACL users, `bind 127.0.0.1 -::1`, `protected-mode yes`, "
        "rename or deny CONFIG/MODULE/REPLICAOF/FLUSHALL (`ACL SETUSER default -@dangerous`), "
        "check /root/.ssh/authorized_keys and /var/spool/cron for planted entries, restore from "
        "backup, and notify the people in the data as the law requires."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            dbs = self._databases(ctx)
        except Exception as exc:
            return unknown("cannot list the databases", exc)
        seen, notes, cron = 0, {}, set()
        for db in dbs:
            client = redis_client(ctx.uri, db=db, connect_timeout=ctx.timeout, timeout=ctx.timeout)
            try:
                cursor = 0
                while True:
                    cursor, keys = client.scan(cursor=cursor, count=SCAN_COUNT)
                    seen += len(keys)
                    for key in keys:
                        m = RANSOM_NAME.search(key.decode("utf-8", "replace").lower())
                        if m:
                            token = m.group(0).strip("_-. :/")
                            notes[token] = notes.get(token, 0) + 1
                        elif key.lower() in CRON_KEYS:
                            cron.add((db, key.lower()))
                    if int(cursor) == 0 or seen >= MAX_KEYS:
                        break
            except Exception as exc:
                return unknown(f"SCAN failed in db {db}", exc)
            finally:
                client.close()
        cron_dbs = {db for db, _ in cron if sum(1 for d, _ in cron if d == db) >= 3}
        if notes or cron_dbs:
            parts = [f"{token} ({n})" for token, n in sorted(notes.items())]
            if cron_dbs:
                parts.append("backup1..backup4 cron-injection keys")
            return Outcome(EXPOSED, "ransom-note-like names present: " + ", ".join(parts))
        if seen >= MAX_KEYS:
            return Outcome(UNKNOWN, f"only the first {MAX_KEYS} key names were checked")
        return Outcome(NOT_EXPOSED, f"no ransom-note-like names among {seen} keys in {len(dbs)} database(s)")

    @staticmethod
    def _databases(ctx: CheckContext) -> list[int]:
        named = target_db(ctx.uri)
        if named is not None:
            return [named]
        client = account(ctx)
        try:
            info = client.info("keyspace")
        finally:
            client.close()
        dbs = sorted(int(k[2:]) for k in info if str(k).startswith("db") and str(k)[2:].isdigit())
        return dbs or [0]
