"""mysql-scanner-writable: the account spillguard scans with could change data."""

from __future__ import annotations

import re

from spillguard.exposure._mysql import (
    driver, is_mariadb, rows, session, skip_grant_tables, unknown,
)
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

WRITE_PRIVILEGES = frozenset({
    "ALL", "ALL PRIVILEGES", "INSERT", "UPDATE", "DELETE", "DROP", "ALTER", "CREATE", "SUPER",
    "FILE", "INDEX", "TRIGGER", "EVENT", "CREATE VIEW", "CREATE ROUTINE", "ALTER ROUTINE",
    "CREATE USER", "DELETE HISTORY", "GRANT OPTION",
})
_GRANT = re.compile(r"^GRANT\s+(.+?)\s+ON\s+(?!''@)", re.S)
_ROLE_GRANT = re.compile(r"^GRANT\s+((?:`[^`]+`(?:@`[^`]*`)?\s*,?\s*)+)\s+TO\s")
_ROLE = re.compile(r"`[^`]+`(?:@`[^`]*`)?")
MAX_ROLES = 20


def write_privileges(grant_lines: list[str]) -> tuple[set[str], list[str]]:
    """(write privileges held, roles granted) from SHOW GRANTS lines. Only privilege
    names are kept: grant lines can carry password hashes and are never shown."""
    found: set[str] = set()
    roles: list[str] = []
    for line in grant_lines:
        line = " ".join(line.split())
        if line.upper().startswith("GRANT PROXY "):
            continue
        m = _GRANT.match(line)
        if m:
            privileges = re.sub(r"\([^)]*\)", "", m.group(1))
            found |= {p.strip().upper() for p in privileges.split(",")} & WRITE_PRIVILEGES
            if line.upper().endswith("WITH GRANT OPTION"):
                found.add("GRANT OPTION")
            continue
        m = _ROLE_GRANT.match(line)
        if m:
            roles += _ROLE.findall(m.group(1))
    return found, roles


class MysqlScannerWritable(Check):
    id = "mysql-scanner-writable"
    kinds = ("mysql",)
    title = "The scanning account can write (not least-privilege)"
    severity = "high"
    fix = (
        "Scan with a SELECT-only account: CREATE USER 'spillguard'@'<scanner host>' "
        "IDENTIFIED BY '<password>'; GRANT SELECT, SHOW VIEW ON appdb.* TO 'spillguard'@'<scanner host>'; "
        "GRANT SELECT (User, Host) ON mysql.user TO 'spillguard'@'<scanner host>'; and revoke "
        "the rest: REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'spillguard'@'<scanner host>' first."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        seen: set[str] = set()
        try:
            with session(ctx) as conn:
                if skip_grant_tables(conn):
                    return Outcome(EXPOSED, "skip_grant_tables is ON: every connection holds "
                                            "every privilege")
                lines = [str(r[0]) for r in rows(conn, "SHOW GRANTS FOR CURRENT_USER")]
                found, roles = write_privileges(lines)
                mariadb = is_mariadb(conn)
                while roles and not found and len(seen) < MAX_ROLES:
                    role = roles.pop(0)
                    if role in seen:
                        continue
                    seen.add(role)
                    if mariadb:  # MariaDB shows a role's grants only while it is set
                        rows(conn, f"SET ROLE {role}")
                    more, nested = write_privileges(
                        [str(r[0]) for r in rows(conn, f"SHOW GRANTS FOR {role}")])
                    found |= more
                    roles += nested
        except driver().err.MySQLError as exc:
            what = "could not expand the roles granted" if seen else "could not read the grants"
            return unknown(f"{what} of the scanning account", exc)
        if found:
            return Outcome(EXPOSED, "the scanning account holds " + ", ".join(sorted(found)))
        if roles:
            return Outcome(UNKNOWN, f"more than {MAX_ROLES} roles granted: not all were expanded")
        return Outcome(NOT_EXPOSED, "the scanning account holds no write privilege"
                                    + (f" (through {len(seen)} role(s) too)" if seen else ""))
