"""postgres-public-grants: tables every role can read (SELECT granted to PUBLIC)."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure import _postgres as pg
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

MAX_NAMES = 5
_SQL = f"""SELECT count(*) OVER (), n.nspname || '.' || c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f') AND {pg.USER_SCHEMA_SQL}
  AND has_schema_privilege('public', n.oid, 'USAGE')
  AND has_any_column_privilege('public', c.oid, 'SELECT')
ORDER BY 2 LIMIT {MAX_NAMES}
"""


class PostgresPublicGrants(Check):
    id = "postgres-public-grants"
    kinds = ("postgresql",)
    title = "PostgreSQL tables readable by every role (SELECT granted to PUBLIC)"
    severity = "high"
    fix = ("Revoke the grant: `REVOKE SELECT ON ALL TABLES IN SCHEMA <schema> FROM PUBLIC;` and "
           "`ALTER DEFAULT PRIVILEGES IN SCHEMA <schema> REVOKE SELECT ON TABLES FROM PUBLIC;`, "
           "then `GRANT SELECT ON <table> TO <role>;` only for the roles that need it.")

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            [rows] = pg.metadata(ctx, _SQL)
        except SourceError as exc:
            return Outcome(UNKNOWN, f"cannot read the table privileges: {exc.reason}")
        if not rows:
            return Outcome(NOT_EXPOSED, "no table grants SELECT to PUBLIC")
        names = ", ".join(r[1] for r in rows)
        more = " ..." if rows[0][0] > len(rows) else ""
        return Outcome(EXPOSED, f"{rows[0][0]} table(s) readable by every role: {names}{more}")
