"""mongodb-ransom-note: databases or collections named like ransom notes.

Bots that find an open MongoDB drop its data and leave a database such as
READ_ME_TO_RECOVER_YOUR_DATA or PLEASE_READ_ME_XYZ, or a README/warning collection.
Names only (listDatabases, listCollections with nameOnly); no document is read. Uses the
target's credentials; the detail names the matched words, never the store's names."""

from __future__ import annotations

from spillguard.exposure import _mongodb as m
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome
from spillguard.exposure._ransom import ransom_match

MAX_DATABASES = 1000


class MongoRansomNote(Check):
    id = "mongodb-ransom-note"
    kinds = (m.KIND,)
    title = "Ransom-note-like database or collection names (data probably wiped and ransomed)"
    severity = "critical"
    fix = (
        "Treat the server as breached: preserve logs and a copy for forensics, do not pay, "
        "restore from a backup, then enable authorization ('security: authorization: "
        "enabled'), bind to private addresses only (net.bindIp), firewall port 27017, rotate "
        "every credential, and notify the affected people and the regulator as the law requires."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        client = m.connect(ctx.uri, ctx.settings, credentials=True, op_timeout_s=ctx.timeout)
        try:
            try:
                dbs = m.list_database_names(client, ctx.timeout)
            except Exception as exc:
                why = m.reason(exc)
                if why != "permission_denied" or not ctx.uri.database:
                    return Outcome(UNKNOWN, f"cannot list databases: {why}")
                dbs = [ctx.uri.database]
            words: set[str] = set()
            hit_dbs = hit_colls = unlisted = listed = 0
            for db in dbs[:MAX_DATABASES]:
                word = ransom_match(db)
                if word:
                    hit_dbs += 1
                    words.add(word)
                try:
                    colls = m.list_collections(client, db, ctx.timeout)
                except Exception as exc:
                    if m.is_network(exc):
                        return Outcome(UNKNOWN, f"cannot list collections: {m.reason(exc)}")
                    unlisted += 1
                    continue
                listed += len(colls)
                for name, _ in colls:
                    word = ransom_match(name)
                    if word:
                        hit_colls += 1
                        words.add(word)
        finally:
            client.close()
        if words:
            return Outcome(EXPOSED, f"ransom-note-like names present: {hit_dbs} database(s), "
                                    f"{hit_colls} collection(s) (matched: {', '.join(sorted(words))})")
        if unlisted or len(dbs) > MAX_DATABASES:
            return Outcome(UNKNOWN, f"no ransom-note-like names seen, but {unlisted} database(s) "
                                    f"could not be listed")
        return Outcome(NOT_EXPOSED, f"no ransom-note-like names among {len(dbs)} database(s) "
                                    f"and {listed} collection(s)")
