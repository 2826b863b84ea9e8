"""Events published by the pegawai service on `pegawai.events`.

Every employee event carries the full `EmployeeSnapshot` after the change, so a consumer
keeps its replica from any single event (event-carried state transfer), besides the
change itself. Unit events carry the full `UnitSnapshot` and are keyed by the unit code.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from asn_schemas.base import ContractModel, EventPayload, Nip
from asn_schemas.golongan import PANGKAT_BY_GOLONGAN, GolonganPns, GolonganPppk, Pangkat


class UnitKind(StrEnum):
    """Kinds of organisational unit; `lainnya` avoids a new event version for a rare kind."""

    SEKRETARIAT = "sekretariat"
    INSPEKTORAT = "inspektorat"
    BADAN = "badan"
    DINAS = "dinas"
    SATUAN = "satuan"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    DESA = "desa"
    UPTD = "uptd"
    RSUD = "rsud"
    PUSKESMAS = "puskesmas"
    SEKOLAH = "sekolah"
    BAGIAN = "bagian"
    BIDANG = "bidang"
    SUBBAGIAN = "subbagian"
    SEKSI = "seksi"
    LAINNYA = "lainnya"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class AsnType(StrEnum):
    PNS = "pns"
    PPPK = "pppk"


class EmployeeStatus(StrEnum):
    AKTIF = "aktif"
    CLTN = "cltn"
    PENSIUN = "pensiun"
    BERHENTI = "berhenti"
    MENINGGAL = "meninggal"


class PositionKind(StrEnum):
    JPT = "jpt"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    FUNGSIONAL = "fungsional"
    PELAKSANA = "pelaksana"


class PositionLevel(StrEnum):
    """Jenjang of a JPT or a jabatan fungsional; BUP depends on it (DOMAIN 1.5)."""

    UTAMA = "utama"
    MADYA = "madya"
    PRATAMA = "pratama"
    AHLI_UTAMA = "ahli_utama"
    AHLI_MADYA = "ahli_madya"
    AHLI_MUDA = "ahli_muda"
    AHLI_PERTAMA = "ahli_pertama"
    PENYELIA = "penyelia"
    MAHIR = "mahir"
    TERAMPIL = "terampil"
    PEMULA = "pemula"


_LEVELS_BY_KIND: dict[PositionKind, frozenset[PositionLevel]] = {
    PositionKind.JPT: frozenset({PositionLevel.UTAMA, PositionLevel.MADYA, PositionLevel.PRATAMA}),
    PositionKind.FUNGSIONAL: frozenset(
        {
            PositionLevel.AHLI_UTAMA,
            PositionLevel.AHLI_MADYA,
            PositionLevel.AHLI_MUDA,
            PositionLevel.AHLI_PERTAMA,
            PositionLevel.PENYELIA,
            PositionLevel.MAHIR,
            PositionLevel.TERAMPIL,
            PositionLevel.PEMULA,
        }
    ),
}


class Position(ContractModel):
    """A jabatan. `level` is set for JPT and fungsional only, where BUP depends on it."""

    code: str | None = Field(default=None, description="Position code in the master data.")
    name: str = Field(min_length=1, examples=["Analis Sumber Daya Manusia Aparatur Ahli Muda"])
    kind: PositionKind
    level: PositionLevel | None = None

    @model_validator(mode="after")
    def _level_fits_kind(self) -> Self:
        allowed = _LEVELS_BY_KIND.get(self.kind, frozenset())
        if allowed and self.level not in allowed:
            raise ValueError(f"a {self.kind} position needs a level among {sorted(allowed)}")
        if not allowed and self.level is not None:
            raise ValueError(f"a {self.kind} position has no level")
        return self


class UnitRef(ContractModel):
    unit_id: UUID
    unit_code: str = Field(min_length=1)
    name: str = Field(min_length=1)


class EmployeeSnapshot(ContractModel):
    """The employee as consumers may know them: no NIK, address, phone or health data.

    `birth_date` is included on purpose. BUP forecasting (DOMAIN 1.5, §3 item 3) and the
    DUK's age key (1.11) need it. It adds no disclosure: the NIP, which is the key of
    every event, already encodes the birth date in digits 1–8. But that copy can be
    wrong in legacy records (1.1), and the master value is what a retirement date must
    follow. The place of birth is not sent.
    """

    nip: Nip
    name: str = Field(
        min_length=1,
        description="Full name as on official documents, with academic titles (gelar).",
        examples=["Dr. Siti Rahmawati, S.T., M.T."],
    )
    sex: Sex
    birth_date: date
    asn_type: AsnType
    status: EmployeeStatus
    golongan: GolonganPns | GolonganPppk = Field(
        description="`III/a`-style for PNS, Roman numeral for PPPK."
    )
    pangkat: Pangkat | None = Field(description="PNS rank title; null for PPPK, who have none.")
    tmt_golongan: date
    position: Position
    unit_id: UUID
    unit_code: str = Field(min_length=1)
    supervisor_nip: Nip | None = Field(description="Atasan langsung; null at the top of the tree.")
    tmt_cpns: date | None = Field(
        default=None,
        description=(
            "TMT of the first appointment (as CPNS, or a PPPK's first contract) as the master"
            " record holds it; years of service run from it. The NIP's digits 9–14 are not"
            " reliable for PPPK. Null in events published before the field existed."
        ),
    )
    retirement_date: date | None = Field(
        default=None,
        description=(
            "When retirement at BUP takes effect, by pegawai's BUP rules and its configured"
            " convention: the date pegawai's retirement report shows. Null in events"
            " published before the field existed."
        ),
    )

    @model_validator(mode="after")
    def _golongan_fits_asn_type(self) -> Self:
        if self.asn_type is AsnType.PNS:
            if not isinstance(self.golongan, GolonganPns):
                raise ValueError("a PNS has a PNS golongan such as III/a")
            if self.pangkat is not PANGKAT_BY_GOLONGAN[self.golongan]:
                expected = PANGKAT_BY_GOLONGAN[self.golongan]
                raise ValueError(f"golongan {self.golongan} goes with pangkat {expected}")
        else:
            if not isinstance(self.golongan, GolonganPppk):
                raise ValueError("a PPPK has a PPPK golongan I–XVII")
            if self.pangkat is not None:
                raise ValueError("a PPPK has no pangkat")
        if self.supervisor_nip == self.nip:
            raise ValueError("an employee is not their own supervisor")
        return self


class UnitSnapshot(ContractModel):
    """An organisational unit (OPD or sub-unit) with its attendance geofence."""

    unit_id: UUID
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: UnitKind
    parent_unit_id: UUID | None = None
    parent_code: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geofence_radius_m: int | None = Field(default=None, gt=0)
    active: bool = True

    @model_validator(mode="after")
    def _consistent_location(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude come together")
        if self.geofence_radius_m is not None and self.latitude is None:
            raise ValueError("a geofence needs a location")
        if (self.parent_unit_id is None) != (self.parent_code is None):
            raise ValueError("parent_unit_id and parent_code come together")
        return self


class UnitCreatedV1(EventPayload):
    """A new organisational unit (OPD or sub-unit), with its full snapshot; keyed by the unit
    code."""

    event_type = "pegawai.unit.created.v1"

    unit: UnitSnapshot


class UnitUpdatedV1(EventPayload):
    """A unit changed (name, parent, geofence, active); the full snapshot after the change."""

    event_type = "pegawai.unit.updated.v1"

    unit: UnitSnapshot
    changed_fields: tuple[str, ...] = Field(description="Names of `unit` fields that changed.")


class EmployeeRegisteredV1(EventPayload):
    """A new employee (PNS or PPPK) in the master data, with the full snapshot."""

    event_type = "pegawai.employee.registered.v1"

    employee: EmployeeSnapshot


class EmployeeUpdatedV1(EventPayload):
    """A correction or a change with no event of its own (e.g. entering or leaving CLTN)."""

    event_type = "pegawai.employee.updated.v1"

    employee: EmployeeSnapshot
    changed_fields: tuple[str, ...] = Field(description="Names of `employee` fields that changed.")


class PromotionKind(StrEnum):
    """Kinds of kenaikan pangkat (DOMAIN 1.4)."""

    REGULER = "reguler"
    PILIHAN_FUNGSIONAL = "pilihan_fungsional"
    PILIHAN_STRUKTURAL = "pilihan_struktural"
    PENYESUAIAN_IJAZAH = "penyesuaian_ijazah"
    LUAR_BIASA = "luar_biasa"
    ANUMERTA = "anumerta"
    PENGABDIAN = "pengabdian"
    LAINNYA = "lainnya"


class FailedRule(ContractModel):
    code: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Stable rule id, e.g. min_years_in_pangkat, predikat_last_two_years.",
    )
    detail: str = Field(description="What the rule found, for the audit trail.")


class PromotionOverride(ContractModel):
    """BKPSDM promoted although eligibility rules failed; who did it is the event's actor."""

    justification: str = Field(min_length=1)
    failed_rules: tuple[FailedRule, ...] = Field(min_length=1)


class EmployeePromotedV1(EventPayload):
    """Kenaikan pangkat of a PNS (PPPK have no pangkat, DOMAIN 1.3)."""

    event_type = "pegawai.employee.promoted.v1"

    employee: EmployeeSnapshot
    from_golongan: GolonganPns
    to_golongan: GolonganPns
    tmt: date
    kind: PromotionKind
    sk_number: str | None = Field(default=None, description="Number of the SK kenaikan pangkat.")
    override: PromotionOverride | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.employee.asn_type is not AsnType.PNS:
            raise ValueError("only a PNS is promoted")
        if self.to_golongan.rank <= self.from_golongan.rank:
            raise ValueError("a promotion goes to a higher golongan")
        if self.employee.golongan is not self.to_golongan or self.employee.tmt_golongan != self.tmt:
            raise ValueError("the snapshot must show the new golongan and its tmt")
        return self


class EmployeeTransferredV1(EventPayload):
    """Mutasi to another unit. A simultaneous new position also gets `position_changed`."""

    event_type = "pegawai.employee.transferred.v1"

    employee: EmployeeSnapshot
    from_unit: UnitRef
    to_unit: UnitRef
    tmt: date
    from_supervisor_nip: Nip | None
    to_supervisor_nip: Nip | None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.from_unit.unit_id == self.to_unit.unit_id:
            raise ValueError("a transfer changes the unit")
        if self.employee.unit_id != self.to_unit.unit_id:
            raise ValueError("the snapshot must show the new unit")
        if self.employee.supervisor_nip != self.to_supervisor_nip:
            raise ValueError("the snapshot must show the new supervisor")
        return self


class EmployeePositionChangedV1(EventPayload):
    """A new jabatan as of `tmt`, and with it possibly a new direct supervisor."""

    event_type = "pegawai.employee.position_changed.v1"

    employee: EmployeeSnapshot
    from_position: Position | None = Field(description="Null when no position was recorded.")
    to_position: Position
    tmt: date
    from_supervisor_nip: Nip | None
    to_supervisor_nip: Nip | None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.employee.position != self.to_position:
            raise ValueError("the snapshot must show the new position")
        if self.employee.supervisor_nip != self.to_supervisor_nip:
            raise ValueError("the snapshot must show the new supervisor")
        return self


class RetirementReason(StrEnum):
    """Why someone left. Deliberately coarse (UU PDP 27/2022).

    Criminal records and health are specific personal data: a discharge for a crime, for
    discipline or for unfitness is `pemberhentian`, nothing more. Consumers need to know
    that the person left and when, not why in detail.
    """

    BUP = "bup"
    ATAS_PERMINTAAN_SENDIRI = "atas_permintaan_sendiri"
    MENINGGAL_DUNIA = "meninggal_dunia"
    PERJANJIAN_KERJA_BERAKHIR = "perjanjian_kerja_berakhir"
    PEMBERHENTIAN = "pemberhentian"
    LAINNYA = "lainnya"


_LEFT_SERVICE = frozenset(
    {EmployeeStatus.PENSIUN, EmployeeStatus.BERHENTI, EmployeeStatus.MENINGGAL}
)


class EmployeeRetiredV1(EventPayload):
    """The employee left the service (pensiun, berhenti or meninggal) as of `tmt`."""

    event_type = "pegawai.employee.retired.v1"

    employee: EmployeeSnapshot
    reason: RetirementReason
    tmt: date

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.employee.status not in _LEFT_SERVICE:
            raise ValueError(f"the snapshot status must be one of {sorted(_LEFT_SERVICE)}")
        died = self.reason is RetirementReason.MENINGGAL_DUNIA
        if died != (self.employee.status is EmployeeStatus.MENINGGAL):
            raise ValueError("reason meninggal_dunia goes with status meninggal")
        return self


PEGAWAI_EVENTS: tuple[type[EventPayload], ...] = (
    UnitCreatedV1,
    UnitUpdatedV1,
    EmployeeRegisteredV1,
    EmployeeUpdatedV1,
    EmployeePromotedV1,
    EmployeeTransferredV1,
    EmployeePositionChangedV1,
    EmployeeRetiredV1,
)
