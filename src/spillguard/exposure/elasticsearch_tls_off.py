"""elasticsearch-tls-off: the cluster is reached over plain HTTP. For an http target the
probe is GET / without credentials (any HTTP answer proves plain HTTP is served); for an
https target a TLS handshake (certificate not checked: nothing secret is sent)."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure._elasticsearch import KIND, EsClient
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome


class ElasticsearchTlsOff(Check):
    id = "elasticsearch-tls-off"
    kinds = (KIND,)
    title = "Elasticsearch/OpenSearch HTTP layer without TLS"
    severity = "medium"
    fix = (
        "Elasticsearch: `bin/elasticsearch-certutil http`, then in elasticsearch.yml "
        "`xpack.security.http.ssl.enabled: true` and `xpack.security.http.ssl.keystore.path: http.p12`. "
        "OpenSearch: in opensearch.yml `plugins.security.ssl.http.enabled: true` with "
        "`plugins.security.ssl.http.pemcert_filepath`, `pemkey_filepath` and `pemtrustedcas_filepath`. "
        "Then scan with elasticsearch+https:// (add ?ca_certs=/path/ca.pem for a private CA)."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        t = ctx.timeout
        client = EsClient(ctx.uri, connect_s=t, read_s=t, credentials=False, verify=False)
        try:
            r = client.request("GET", "/", what="GET / without credentials")
        except SourceError as exc:
            return Outcome(UNKNOWN, f"no answer: {exc.reason}")
        finally:
            client.close()
        if client.https:
            return Outcome(NOT_EXPOSED, f"TLS handshake succeeded (HTTP {r.status} over https)")
        return Outcome(EXPOSED, f"the cluster answers plain HTTP (HTTP {r.status}): "
                                "credentials and documents cross the network unencrypted")
