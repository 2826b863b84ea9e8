"""Who may see and handle a ticket (DESIGN, Security; issue 12, Access).

The coordinator (`admin_aspirasi`) sees and decides on every ticket. A unit's
`admin_opd` sees and handles the tickets routed to its unit. An auditor reads every
ticket, but a `rahasia` ticket's words only reach the coordinator and the unit.
Citizens see a ticket only with its secret (tracking.py).
"""

from __future__ import annotations

from asn_schemas.aspirasi import Privacy
from servicekit.identity import Identity, Role
from servicekit.problems import forbidden
from sqlalchemy.ext.asyncio import AsyncSession

from aspirasi import store
from aspirasi.models import Submission

COORDINATOR = Role.ADMIN_ASPIRASI.value


def is_coordinator(who: Identity) -> bool:
    return who.has_role(COORDINATOR)


async def handler_unit(session: AsyncSession, who: Identity) -> str | None:
    """The unit code an admin_opd token handles, if any."""
    if not who.has_role(Role.ADMIN_OPD):
        return None
    return await store.unit_code_of_claim(session, who.unit_id)


def reads_all(who: Identity) -> bool:
    return is_coordinator(who) or who.has_role(Role.AUDITOR)


def require_staff(who: Identity, unit: str | None) -> None:
    if not reads_all(who) and unit is None:
        raise forbidden("Hanya koordinator aspirasi, admin OPD, atau auditor.")


def may_read(who: Identity, unit: str | None, sub: Submission) -> bool:
    return reads_all(who) or (unit is not None and sub.unit_code == unit)


def may_read_words(who: Identity, unit: str | None, sub: Submission) -> bool:
    if sub.privacy != Privacy.RAHASIA.value:
        return may_read(who, unit, sub)
    return is_coordinator(who) or (unit is not None and sub.unit_code == unit)


def require_coordinator(who: Identity) -> None:
    if not is_coordinator(who):
        raise forbidden("Hanya koordinator aspirasi (admin_aspirasi) yang dapat melakukannya.")


async def require_handler(session: AsyncSession, who: Identity, sub: Submission) -> str:
    """The caller is the admin_opd of the unit the ticket is routed to; returns that unit."""
    unit = await handler_unit(session, who)
    if unit is None or sub.unit_code != unit:
        raise forbidden("Hanya admin OPD unit yang menangani tiket ini.")
    return unit
