"""s3-anonymous-read: an object can be fetched without credentials.

Probe: list one key with the scan's credentials, then ``HeadObject`` it from an UNSIGNED
client. HEAD returns metadata only (no object bytes are read). 200 -> exposed; 403 ->
not exposed; no key to test, 404, timeouts, errors -> unknown. The key is never shown."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure._s3 import KIND, BucketCheck, S3Target, call, make_client, one_key
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, CheckContext, Outcome


class S3AnonymousRead(BucketCheck):
    id = "s3-anonymous-read"
    kinds = (KIND,)
    title = "S3 objects can be read without credentials"
    severity = "critical"
    fix = (
        "Make the bucket and its objects private: `aws s3api put-bucket-acl --bucket BUCKET --acl private`, "
        "disable ACLs with `aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls "
        "'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`, turn on Block Public Access "
        "(`aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`) "
        "and remove s3:GetObject grants to Principal \"*\"; MinIO: `mc anonymous set none ALIAS/BUCKET`; "
        "SeaweedFS: require `-s3.config` identities and drop any \"anonymous\" identity with Read. "
        "Serve public files through signed URLs instead."
    )

    def probe(self, ctx: CheckContext, t: S3Target, bucket: str) -> Outcome:
        lister, _ = make_client(t, ctx.settings, read_timeout=ctx.timeout)
        try:
            key = one_key(lister, bucket, t.prefix)
        except SourceError as exc:
            return Outcome(UNKNOWN, f"no object key listed to test: {exc.reason}")
        finally:
            lister.close()
        if key is None:
            return Outcome(UNKNOWN, "no object under the target to test")
        client, _ = make_client(t, ctx.settings, read_timeout=ctx.timeout, unsigned=True)
        try:
            call("HeadObject", f"s3://{bucket}", client.head_object, Bucket=bucket, Key=key)
        except SourceError as exc:
            if exc.reason in ("permission_denied", "auth_failed"):
                return Outcome(NOT_EXPOSED, f"unsigned HeadObject on a listed object refused ({exc.reason})")
            return Outcome(UNKNOWN, f"unsigned HeadObject failed: {exc.reason}")
        finally:
            client.close()
        return Outcome(EXPOSED, "an unsigned HeadObject on a listed object was answered (HTTP 200)")
