"""elasticsearch-ransom-note: index names left by ransom bots (READ_ME, meow,
how_to_recover, ...). Lists index names with the user's credentials, if any."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure._elasticsearch import KIND, EsClient
from spillguard.exposure._ransom import ransom_like
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome


class ElasticsearchRansomNote(Check):
    id = "elasticsearch-ransom-note"
    kinds = (KIND,)
    title = "Elasticsearch/OpenSearch indices named like a ransom note"
    severity = "critical"
    fix = (
        "Treat the cluster as breached: firewall ports 9200/9300 at once, enable security "
        "(`xpack.security.enabled: true` / the OpenSearch security plugin), rotate every credential, "
        "restore from a snapshot taken before the attack (`POST _snapshot/<repo>/<snapshot>/_restore`), "
        "and notify as your data-protection law requires. Do not pay: these bots usually delete the data."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        t = ctx.timeout
        client = EsClient(ctx.uri, connect_s=t, read_s=t)
        try:
            r = client.request("GET", "/_cat/indices?format=json&h=index&expand_wildcards=open",
                               what="GET /_cat/indices")
        except SourceError as exc:
            return Outcome(UNKNOWN, f"index list not read: {exc.reason}")
        finally:
            client.close()
        if not r.ok or not isinstance(r.body, list):
            return Outcome(UNKNOWN, f"index list not read: HTTP {r.status}")
        names = [row.get("index") for row in r.body if isinstance(row, dict) and isinstance(row.get("index"), str)]
        hits = sorted(n for n in names if ransom_like(n))
        if hits:
            shown = ", ".join(hits[:3]) + (" ..." if len(hits) > 3 else "")
            return Outcome(EXPOSED, f"ransom-note-like names present: {len(hits)} indices ({shown})")
        return Outcome(NOT_EXPOSED, f"{len(names)} open indices, none named like a ransom note")
