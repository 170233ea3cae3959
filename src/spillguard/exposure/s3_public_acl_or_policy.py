"""s3-public-acl-or-policy: the bucket's ACL or policy grants access to everyone.

Reads (with the scan's credentials) GetBucketAcl, GetBucketPolicyStatus, GetBucketPolicy
and GetPublicAccessBlock. Exposed: an ACL grant to AllUsers/AuthenticatedUsers (unless
IgnorePublicAcls), ``PolicyStatus.IsPublic`` or an Allow statement for Principal "*" without
a Condition (unless RestrictPublicBuckets). Not exposed: ACL and policy both read and
neither public. Anything unread (denied, NotImplemented, timeout) -> unknown.
Account-level Block Public Access (s3control) is not read."""

from __future__ import annotations

import json
from typing import Any

from spillguard.errors import SourceError
from spillguard.exposure._s3 import KIND, BucketCheck, S3Target, call, make_client
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, CheckContext, Outcome

_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}


def _read(what: str, bucket: str, fn, absent: str | None = None, **kw) -> tuple[Any, str | None]:
    """(answer, None) or (None, problem); ``absent`` error reason means "nothing set"."""
    try:
        return call(what, f"s3://{bucket}", fn, Bucket=bucket, **kw), None
    except SourceError as exc:
        if absent and exc.reason == "not_found":
            return {}, None
        return None, f"{what} not read: {exc.reason}"


def _wildcard(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def policy_public(doc: str) -> tuple[bool, bool]:
    """(public, conditional): an Allow for everyone without / with a Condition."""
    try:
        stmts = json.loads(doc).get("Statement", [])
    except (ValueError, AttributeError):
        return False, True  # unreadable policy: cannot say it is private
    stmts = [stmts] if isinstance(stmts, dict) else stmts
    public = conditional = False
    for s in stmts if isinstance(stmts, list) else []:
        if not isinstance(s, dict) or s.get("Effect") != "Allow":
            continue
        if _wildcard(s.get("Principal")) or "NotPrincipal" in s:
            if s.get("Condition"):
                conditional = True
            else:
                public = True
    return public, conditional


class S3PublicAclOrPolicy(BucketCheck):
    id = "s3-public-acl-or-policy"
    kinds = (KIND,)
    title = "S3 bucket ACL or policy grants access to everyone"
    severity = "high"
    fix = (
        "Remove public grants: `aws s3api put-bucket-acl --bucket BUCKET --acl private`; delete or edit "
        "statements with Principal \"*\" (`aws s3api get-bucket-policy --bucket BUCKET`, then "
        "`aws s3api put-bucket-policy` / `delete-bucket-policy`); disable ACLs "
        "(`aws s3api put-bucket-ownership-controls --bucket BUCKET --ownership-controls "
        "'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'`) and turn on Block Public Access "
        "(`aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`); "
        "MinIO: `mc anonymous set none ALIAS/BUCKET`. The scanning account needs s3:GetBucketAcl, "
        "s3:GetBucketPolicy, s3:GetBucketPolicyStatus and s3:GetBucketPublicAccessBlock."
    )

    def probe(self, ctx: CheckContext, t: S3Target, bucket: str) -> Outcome:
        client, _ = make_client(t, ctx.settings, read_timeout=ctx.timeout)
        try:
            return self._judge(client, bucket)
        finally:
            client.close()

    def _judge(self, client, bucket: str) -> Outcome:
        exposed, unknown, notes = [], [], []
        pab, _ = _read("GetPublicAccessBlock", bucket, client.get_public_access_block)
        block = (pab or {}).get("PublicAccessBlockConfiguration", {})
        acl, problem = _read("GetBucketAcl", bucket, client.get_bucket_acl)
        if problem:
            unknown.append(problem)
        else:
            for g in acl.get("Grants", []):
                group = _GROUPS.get(g.get("Grantee", {}).get("URI", ""))
                if group and not block.get("IgnorePublicAcls"):
                    exposed.append(f"ACL grants {g.get('Permission', '?')} to {group}")
        status, _ = _read("GetBucketPolicyStatus", bucket, client.get_bucket_policy_status, absent="none")
        is_public = (status or {}).get("PolicyStatus", {}).get("IsPublic")
        policy, problem = _read("GetBucketPolicy", bucket, client.get_bucket_policy, absent="none")
        restricted = bool(block.get("RestrictPublicBuckets"))
        if problem and is_public is None:
            unknown.append(problem)
        if is_public and not restricted:
            exposed.append("bucket policy status IsPublic=true")
        if policy and policy.get("Policy"):
            public, conditional = policy_public(policy["Policy"])
            if public and not restricted:
                exposed.append('bucket policy allows Principal "*" without conditions')
            elif conditional and not restricted and is_public is None:
                unknown.append('bucket policy allows Principal "*" under conditions: review it')
        if restricted:
            notes.append("RestrictPublicBuckets on")
        if exposed:
            return Outcome(EXPOSED, "; ".join(dict.fromkeys(exposed)))
        if unknown:
            return Outcome(UNKNOWN, "; ".join(unknown))
        return Outcome(NOT_EXPOSED, "; ".join(["no ACL grant to AllUsers/AuthenticatedUsers",
                                               "no public bucket policy", *notes]))
