"""s3-ransom-note: bucket names or top-level object names left by ransom bots (READ_ME,
how_to_recover, RECOVER_YOUR_FILES, meow, warning, please_read, ...).

Lists the bucket names (``s3://`` targets) and the first 1000 top-level names of each
bucket (ListObjectsV2 with Delimiter "/") with the scan's credentials. Only the matched
ransom word is shown, never a whole key (keys can hold names or ID numbers)."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure._ransom import RANSOM_NAME
from spillguard.exposure._s3 import KIND, BucketCheck, S3Target, call, make_client
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, CheckContext, Outcome


def _word(name: str) -> str | None:
    m = RANSOM_NAME.search(name.lower())
    return m.group(0).strip("_-. /") if m else None


class S3RansomNote(BucketCheck):
    id = "s3-ransom-note"
    kinds = (KIND,)
    title = "S3 bucket or top-level objects named like a ransom note"
    severity = "critical"
    fix = (
        "Treat the store as breached: block public access at once "
        "(`aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`; "
        "MinIO `mc anonymous set none ALIAS/BUCKET`), rotate every access key that could write to it, "
        "restore from versions or backups (`aws s3api list-object-versions --bucket BUCKET`), turn on "
        "versioning and Object Lock for the future, and notify as your data-protection law requires. "
        "Do not pay: these bots usually delete the data."
    )

    def probe(self, ctx: CheckContext, t: S3Target, bucket: str) -> Outcome:
        words = [w for w in [_word(bucket)] if w]
        client, _ = make_client(t, ctx.settings, read_timeout=ctx.timeout)
        try:
            resp = call("ListObjectsV2", f"s3://{bucket}", client.list_objects_v2,
                        Bucket=bucket, Delimiter="/", MaxKeys=1000)
        except SourceError as exc:
            if words:
                return Outcome(EXPOSED, f"ransom-note-like names present: bucket name ({words[0]})")
            return Outcome(UNKNOWN, f"top-level names not listed: {exc.reason}")
        finally:
            client.close()
        names = [o.get("Key", "") for o in resp.get("Contents", [])]
        names += [p.get("Prefix", "") for p in resp.get("CommonPrefixes", [])]
        hits = [w for w in (_word(n) for n in names) if w]
        if hits or words:
            shown = ", ".join(sorted(set(words + hits))[:3])
            return Outcome(EXPOSED, f"ransom-note-like names present: {len(words + hits)} ({shown})")
        more = " (first page only)" if resp.get("IsTruncated") else ""
        return Outcome(NOT_EXPOSED, f"{len(names)} top-level names{more}, none like a ransom note")
