"""elasticsearch-security-disabled: the cluster answers GET / and GET /_cat/indices without
credentials. Metadata only: never ``_search`` without credentials."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure._elasticsearch import KIND, EsClient
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome


class ElasticsearchSecurityDisabled(Check):
    id = "elasticsearch-security-disabled"
    kinds = (KIND,)
    title = "Elasticsearch/OpenSearch cluster readable without credentials"
    severity = "critical"
    fix = (
        "Elasticsearch: set `xpack.security.enabled: true` in elasticsearch.yml, restart, then "
        "`bin/elasticsearch-reset-password -u elastic` (7.x: `bin/elasticsearch-setup-passwords auto`); "
        "remove `xpack.security.authc.anonymous.roles`. OpenSearch: remove `plugins.security.disabled: true` "
        "from opensearch.yml, replace the demo certificates and internal users, run "
        "`plugins/opensearch-security/tools/securityadmin.sh`. In both: `network.host: <private address>` "
        "and firewall ports 9200/9300 to the application hosts only."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        t = ctx.timeout
        client = EsClient(ctx.uri, connect_s=t, read_s=t, credentials=False, verify=False)
        try:
            root = client.request("GET", "/", what="GET / without credentials")
            if root.status in (401, 403):
                return Outcome(NOT_EXPOSED, f"GET / without credentials is refused (HTTP {root.status})")
            if not root.ok:
                return Outcome(UNKNOWN, f"GET / without credentials answered HTTP {root.status}")
            cat = client.request("GET", "/_cat/indices?format=json&h=index",
                                 what="GET /_cat/indices without credentials")
        except SourceError as exc:
            return Outcome(UNKNOWN, f"no answer without credentials: {exc.reason}")
        finally:
            client.close()
        if cat.status in (401, 403):
            return Outcome(NOT_EXPOSED,
                           f"GET / answers anonymously but GET /_cat/indices is refused (HTTP {cat.status})")
        if cat.ok and isinstance(cat.body, list):
            return Outcome(EXPOSED, "GET / and GET /_cat/indices answer without credentials "
                                    f"({len(cat.body)} indices listed)")
        return Outcome(UNKNOWN, f"GET /_cat/indices without credentials answered HTTP {cat.status}")
