"""Who may read what in the read model: the same rules as the services (DESIGN, Security).

A profile is visible to the person, their supervisors up the chain, the `admin_opd` of
their unit or of a unit above it, BKPSDM and auditors. The read model holds no contact
data (events never carry it), so the auditors' exclusion is met by construction.
"""

from __future__ import annotations

from typing import Any

from servicekit.identity import Identity, Role
from servicekit.problems import forbidden

_CHAIN = """
WITH RECURSIVE chain(nip, depth) AS (
    SELECT supervisor_nip, 1 FROM readmodel.employee
    WHERE nip = $1 AND supervisor_nip IS NOT NULL
  UNION ALL
    SELECT e.supervisor_nip, c.depth + 1 FROM readmodel.employee e JOIN chain c ON e.nip = c.nip
    WHERE e.supervisor_nip IS NOT NULL AND c.depth < 64
)
SELECT EXISTS (SELECT 1 FROM chain WHERE nip = $2)
"""

_UNIT_UP = """
WITH RECURSIVE up(code, depth) AS (
    SELECT $1::text, 0
  UNION ALL
    SELECT u.parent_code, up.depth + 1 FROM readmodel.unit u JOIN up ON u.code = up.code
    WHERE u.parent_code IS NOT NULL AND up.depth < 64
)
SELECT EXISTS (
    SELECT 1 FROM up JOIN readmodel.unit u ON u.code = up.code
    WHERE u.code = $2 OR u.unit_id::text = $2
)
"""


def sees_everyone(who: Identity) -> bool:
    return who.has_role(Role.BKPSDM) or who.has_role(Role.AUDITOR)


async def admin_over_unit(conn: Any, who: Identity, unit_code: str) -> bool:
    """Whether `who` is admin_opd of this unit or of a unit above it."""
    if not who.has_role(Role.ADMIN_OPD) or not who.unit_id:
        return False
    return bool(await conn.fetchval(_UNIT_UP, unit_code, who.unit_id))


async def check_profile(conn: Any, who: Identity, nip: str, unit_code: str) -> None:
    """Raises 403 unless `who` may read the profile of `nip`."""
    if sees_everyone(who) or who.sub == nip:
        return
    if await admin_over_unit(conn, who, unit_code):
        return
    if await conn.fetchval(_CHAIN, nip, who.sub):
        return
    raise forbidden("Profil ini hanya untuk pegawai itu, atasannya, admin unitnya dan BKPSDM.")


async def check_unit(conn: Any, who: Identity, unit_code: str) -> None:
    if sees_everyone(who) or await admin_over_unit(conn, who, unit_code):
        return
    raise forbidden("Dasbor unit untuk admin unit itu, BKPSDM dan auditor.")
