"""mysql-listen-all: the server accepts TCP connections on every interface."""

from __future__ import annotations

from spillguard.exposure._mysql import driver, session, unknown, variable
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

ALL_INTERFACES = {"*", "0.0.0.0", "::", "[::]"}


def bind_outcome(bind_address: str | None, skip_networking: str | None) -> Outcome:
    """The verdict for the values of @@bind_address and @@skip_networking."""
    if (skip_networking or "").upper() == "ON":
        return Outcome(NOT_EXPOSED, "skip_networking is ON: no TCP listener")
    if bind_address is None or not bind_address.strip():
        return Outcome(UNKNOWN, "bind_address is empty or not visible; MariaDB then listens "
                                "on every interface: set bind-address explicitly")
    addresses = [a.strip() for a in bind_address.split(",") if a.strip()]
    wide = [a for a in addresses if a in ALL_INTERFACES]
    if wide:
        return Outcome(EXPOSED, f"bind_address is {', '.join(wide)}: listening on every interface")
    return Outcome(NOT_EXPOSED, f"bind_address lists {len(addresses)} specific address(es)"
                                + (" (loopback only)" if all(_loopback(a) for a in addresses) else ""))


def _loopback(address: str) -> bool:
    return address.startswith("127.") or address in ("::1", "localhost")


class MysqlListenAll(Check):
    id = "mysql-listen-all"
    kinds = ("mysql",)
    title = "MySQL/MariaDB listens on all network interfaces"
    severity = "high"
    fix = (
        "Bind to the interfaces that need it and firewall port 3306: in my.cnf [mysqld] "
        "set bind-address = 127.0.0.1 (or the private address), restart the server, and "
        "allow 3306/tcp only from application hosts (e.g. ufw allow from 10.0.0.0/24 to any port 3306)."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            with session(ctx) as conn:
                return bind_outcome(variable(conn, "bind_address"), variable(conn, "skip_networking"))
        except driver().err.MySQLError as exc:
            return unknown("could not read bind_address", exc)
