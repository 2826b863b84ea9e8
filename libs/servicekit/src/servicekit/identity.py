"""Who is acting: the verified token's claims, or a named system process."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PEGAWAI = "pegawai"
    ADMIN_OPD = "admin_opd"
    BKPSDM = "bkpsdm"
    AUDITOR = "auditor"
    ADMIN_ASPIRASI = "admin_aspirasi"
    """The complaints coordinator (Diskominfo): verifies and routes citizens' tickets."""


@dataclass(frozen=True, slots=True)
class Identity:
    """`sub` is the NIP for people; systems use `system:<name>` so the audit trail says which."""

    sub: str
    roles: frozenset[str] = field(default_factory=frozenset)
    unit_id: str | None = None

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles

    @classmethod
    def system(cls, name: str) -> Identity:
        return cls(sub=f"system:{name}")
