"""postgres-scanner-writable: the scanning account could change data."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure import _postgres as pg
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

_ROLE = "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
_WRITABLE = f"""SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'f') AND {pg.USER_SCHEMA_SQL}
  AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
"""


class PostgresScannerWritable(Check):
    id = "postgres-scanner-writable"
    kinds = ("postgresql",)
    title = "The scanning account has write privileges it does not need"
    severity = "medium"
    fix = ("Scan with a dedicated read-only role: `CREATE ROLE spillguard LOGIN PASSWORD '...' "
           "NOSUPERUSER NOCREATEROLE NOCREATEDB; GRANT pg_read_all_data TO spillguard;` "
           "(PostgreSQL 14+; before: `GRANT USAGE ON SCHEMA s TO spillguard; "
           "GRANT SELECT ON ALL TABLES IN SCHEMA s TO spillguard;`) and no other grants.")

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            role, writable = pg.metadata(ctx, _ROLE, _WRITABLE)
        except SourceError as exc:
            return Outcome(UNKNOWN, f"cannot read the account's privileges: {exc.reason}")
        if not role:
            return Outcome(UNKNOWN, "the account's role is not visible")
        superuser, createrole = role[0]
        tables = writable[0][0] if writable else 0
        found = (["superuser"] if superuser else []) + (["can create roles"] if createrole else [])
        if tables:
            found.append(f"INSERT/UPDATE/DELETE/TRUNCATE on {tables} table(s)")
        if found:
            return Outcome(EXPOSED, "account has write privileges it does not need: " + "; ".join(found))
        return Outcome(NOT_EXPOSED, "account can only read")
