"""Institutions (lembaga) and their cooperation agreements: BKPSDM's."""

from __future__ import annotations

import uuid

from servicekit.problems import check_if_match, conflict, not_found
from servicekit.uow import UnitOfWork
from sqlalchemy import select
from sqlmodel import col

from pelatihan import access, store
from pelatihan.api.schemas import InstitutionIn
from pelatihan.models import Institution


async def _name_taken(uow: UnitOfWork, name: str, other_than: uuid.UUID | None) -> bool:
    query = select(col(Institution.id)).where(col(Institution.name) == name)
    found = (await uow.session.execute(query)).scalar()
    return found is not None and found != other_than


async def create(uow: UnitOfWork, body: InstitutionIn) -> Institution:
    access.require_bkpsdm(uow.actor, "mencatat lembaga pelatihan")
    if await _name_taken(uow, body.name, None):
        raise conflict("institution_exists", f"Lembaga {body.name} sudah tercatat.")
    found = Institution(id=uuid.uuid4(), **body.model_dump())
    uow.session.add(found)
    await uow.session.flush()
    return found


async def update(
    uow: UnitOfWork, institution_id: uuid.UUID, body: InstitutionIn, if_match: str | None
) -> Institution:
    access.require_bkpsdm(uow.actor, "mengubah lembaga pelatihan")
    found = await store.locked(uow.session, Institution, institution_id)
    if found is None:
        raise not_found("institution", f"Lembaga {institution_id}")
    check_if_match(if_match, found.version, required=False)
    if await _name_taken(uow, body.name, found.id):
        raise conflict("institution_exists", f"Lembaga {body.name} sudah tercatat.")
    for key, value in body.model_dump().items():
        setattr(found, key, value)
    found.version += 1
    return found
