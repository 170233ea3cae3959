"""s3-anonymous-list: an unsigned request (no credentials at all) can list the bucket.

Probe: ``ListObjectsV2 MaxKeys=1`` from a botocore client with ``signature_version=UNSIGNED``;
for ``s3://`` targets also an unsigned ``ListBuckets``. Answered -> exposed; AccessDenied
(or any credential error) -> not exposed; anything else (timeout, no such bucket,
unreachable) -> unknown. Key names are never shown."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure._s3 import KIND, BucketCheck, S3Target, call, make_client
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, CheckContext, Outcome

_REFUSED = ("permission_denied", "auth_failed")


class S3AnonymousList(BucketCheck):
    id = "s3-anonymous-list"
    kinds = (KIND,)
    title = "S3 bucket can be listed without credentials"
    severity = "high"
    fix = (
        "Remove anonymous s3:ListBucket: on AWS turn on Block Public Access "
        "(`aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`) "
        "and delete policy statements with Principal \"*\" (`aws s3api delete-bucket-policy --bucket BUCKET`); "
        "MinIO: `mc anonymous set none ALIAS/BUCKET`; SeaweedFS: start `weed s3`/`weed mini` with "
        "`-s3.config=s3.json` listing identities (and no \"anonymous\" identity with List)."
    )

    def _unsigned(self, ctx: CheckContext, t: S3Target):
        return make_client(t, ctx.settings, read_timeout=ctx.timeout, unsigned=True)[0]

    def probe(self, ctx: CheckContext, t: S3Target, bucket: str) -> Outcome:
        client = self._unsigned(ctx, t)
        try:
            call("ListObjectsV2", f"s3://{bucket}", client.list_objects_v2,
                 Bucket=bucket, Prefix=t.prefix, MaxKeys=1)
        except SourceError as exc:
            if exc.reason in _REFUSED:
                return Outcome(NOT_EXPOSED, f"unsigned ListObjectsV2 refused ({exc.reason})")
            return Outcome(UNKNOWN, f"unsigned ListObjectsV2 failed: {exc.reason}")
        finally:
            client.close()
        return Outcome(EXPOSED, "an unsigned ListObjectsV2 request was answered (HTTP 200)")

    def probe_service(self, ctx: CheckContext, t: S3Target, buckets: list[str]) -> Outcome | None:
        client = self._unsigned(ctx, t)
        try:
            call("ListBuckets", t.display, client.list_buckets)
        except SourceError:
            return None  # refused or failed: the per-bucket probes decide
        finally:
            client.close()
        return Outcome(EXPOSED, "an unsigned ListBuckets request was answered (HTTP 200)")
