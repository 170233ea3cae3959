"""postgres-trust-auth: the account connects without a password (pg_hba ``trust``)."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure import _postgres as pg
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

DEFAULT_USER = "postgres"  # probed only with try_default_credentials, for this target only


class PostgresTrustAuth(Check):
    id = "postgres-trust-auth"
    kinds = ("postgresql",)
    title = "PostgreSQL lets an account in without a password (trust authentication)"
    severity = "critical"
    fix = ("In pg_hba.conf replace every `trust` method with `scram-sha-256` "
           "(e.g. `hostssl all all 10.0.0.0/8 scram-sha-256`), set "
           "`password_encryption = scram-sha-256` in postgresql.conf, give every login role a "
           "password (`ALTER ROLE name PASSWORD '...'`), then run `SELECT pg_reload_conf();`.")

    def run(self, ctx: CheckContext) -> Outcome:
        users = [ctx.uri.username] if ctx.uri.username else []
        if ctx.settings.try_default_credentials and DEFAULT_USER not in users:
            users.append(DEFAULT_USER)
        if not users:
            return Outcome(UNKNOWN, "no user name in the target to probe; name one "
                                    "(postgresql://USER@host/db) or opt in to default credentials")
        base = pg.without_credentials(ctx.uri)
        failures = []
        for user in users:
            try:
                conn = pg.connect(base, ctx.settings, user=user, no_password=True)
            except SourceError as exc:
                if exc.reason == "not_found":  # "database does not exist" comes after authentication
                    return Outcome(EXPOSED, f"account {user!r} authenticates without a password")
                failures.append(exc.reason)
                continue
            try:
                method = _auth_method(conn, ctx)
            finally:
                pg.close_quietly(conn)
            if method:  # peer, ident, cert, gss: an identity other than a password
                return Outcome(NOT_EXPOSED, f"account {user!r} got in without a password by "
                                            f"{method.split(':')[0]} authentication, not trust")
            return Outcome(EXPOSED, f"account {user!r} connects without a password (trust authentication)")
        if all(r == "auth_failed" for r in failures):
            return Outcome(NOT_EXPOSED, f"the server requires a password for {len(users)} account(s) probed")
        return Outcome(UNKNOWN, "cannot tell: " + next(r for r in failures if r != "auth_failed"))


def _auth_method(conn, ctx: CheckContext) -> str | None:
    """``system_user`` (PostgreSQL 16+): 'peer:alice', or NULL for trust; None before 16."""
    if conn.info.server_version < 160000:
        return None
    try:
        rows = pg.run(conn, ctx.settings, "SELECT system_user", fetch=True)
    except SourceError:
        return None
    return rows[0][0] if rows and rows[0][0] else None
