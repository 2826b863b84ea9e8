"""The suite's commands as the HR portal sends them through the gateway, for load that
goes beyond registrations and check-ins (`make soak`; the drill may take them too).

A `Life` is one new employee's way through the suite, one command at a time, each after
the previous was answered: registered (pegawai), checked in (presensi), an SKP drafted
(kinerja), leave requested, promoted, the SKP submitted, the leave decided by the
supervisor, a new position, the SKP agreed by the supervisor, checked out. Every service
that keeps a replica of pegawai acts on the employee only once the registration reached
it, so a refusal that says "not known yet" is expected and the step is tried again."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

BKPSDM = "197001011995031001"
NOT_YET_CODES = frozenset({"employee_not_found", "employee_unknown"})
"""presensi's 404 and kinerja's 409 while their replica has not received the employee."""
STEPS = (
    "register",
    "check-in",
    "skp-create",
    "leave-request",
    "promotion",
    "skp-submit",
    "leave-decision",
    "position-change",
    "skp-approve",
    "check-out",
)
POSITIONS = ("Analis Kepegawaian", "Pengelola Data", "Analis Kebijakan", "Pranata Komputer")


def new_nip(serial: int, sex: int = 1) -> str:
    """A well-formed NIP, one of its own for every serial (a soak registers thousands):
    birth date (a day per thousand serials from 1975), CPNS TMT 2010-01, sex, serial."""
    birth = date(1975, 1, 1) + timedelta(days=serial // 1000)
    return f"{birth:%Y%m%d}201001{sex}{serial % 1000:03d}"


def unit_body(code: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Dinas {code}",
        "kind": "dinas",
        "parent_code": None,
        "latitude": -0.68,
        "longitude": 100.78,
        "geofence_radius_m": 150,
    }


def every_day_schedule(today: date) -> dict[str, Any]:
    """Every weekday a working day from 00:00, so check-ins work at any hour of any day."""
    return {
        "kind": "regular",
        "valid_from": (today - timedelta(days=40)).isoformat(),
        "days": {str(d): {"start": "00:00", "end": "23:59", "break_minutes": 0} for d in range(7)},
    }


def employee_body(nip: str, unit: str, supervisor: str | None = None) -> dict[str, Any]:
    return {
        "nip": nip,
        "name": f"Pegawai Beban {nip[-4:]}",
        "sex": "male" if nip[14] == "1" else "female",
        "birth_date": f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}",
        "asn_type": "pns",
        "golongan": "III/b",
        "tmt_golongan": "2022-04-01",
        "tmt_cpns": "2010-01-01",
        "position": {"name": POSITIONS[0], "kind": "pelaksana"},
        "unit_code": unit,
        "supervisor_nip": supervisor,
        "education": "s1",
    }


def promotion_tmt(today: date) -> date:
    """The latest regular promotion date (1 April or 1 October) not after today."""
    april, october = date(today.year, 4, 1), date(today.year, 10, 1)
    if today >= october:
        return october
    return april if today >= april else date(today.year - 1, 10, 1)


def skp_body(year: int) -> dict[str, Any]:
    return {
        "year": year,
        "rhk": [
            {
                "kind": "utama",
                "title": "Layanan administrasi kepegawaian",
                "indicators": [
                    {
                        "aspect": "kuantitas",
                        "description": "Berkas selesai",
                        "target": "200 berkas",
                    },
                    {"aspect": "waktu", "description": "Selesai", "target": "12 bulan"},
                ],
            }
        ],
    }


@dataclass(frozen=True)
class Command:
    step: str
    route: str
    """The route template, for figures per route (ids and NIPs left out)."""
    method: str
    path: str
    body: Any
    actor: str
    roles: tuple[str, ...] = ("pegawai",)


@dataclass
class Life:
    nip: str
    unit: str
    supervisor: str
    step: int = 0
    ids: dict[str, str] = field(default_factory=dict)
    """The SKP and leave request created on the way, for the steps that act on them."""

    @property
    def done(self) -> bool:
        return self.step >= len(STEPS)

    def command(self, today: date) -> Command:
        """The next command (the same one again until `advance`)."""
        step, nip = STEPS[self.step], self.nip
        if step == "register":
            body = employee_body(nip, self.unit, self.supervisor)
            return Command(
                step, "POST /api/employees", "POST", "/api/employees", body, BKPSDM, ("bkpsdm",)
            )
        if step == "check-in":
            return Command(
                step, "POST /api/attendance/check-in", "POST", "/api/attendance/check-in", {}, nip
            )
        if step == "check-out":
            return Command(
                step, "POST /api/attendance/check-out", "POST", "/api/attendance/check-out", {}, nip
            )
        if step == "skp-create":
            return Command(step, "POST /api/skp", "POST", "/api/skp", skp_body(today.year), nip)
        if step == "skp-submit":
            path = f"/api/skp/{self.ids['skp']}/submit"
            return Command(step, "POST /api/skp/{id}/submit", "POST", path, None, nip)
        if step == "skp-approve":
            path = f"/api/skp/{self.ids['skp']}/approve"
            return Command(step, "POST /api/skp/{id}/approve", "POST", path, None, self.supervisor)
        if step == "leave-request":
            day = (today - timedelta(days=1)).isoformat()
            body = {"leave_type": "tahunan", "start_date": day, "end_date": day}
            return Command(
                step, "POST /api/leave-requests", "POST", "/api/leave-requests", body, nip
            )
        if step == "leave-decision":
            path = f"/api/leave-requests/{self.ids['leave']}/decision"
            return Command(
                step,
                "POST /api/leave-requests/{id}/decision",
                "POST",
                path,
                {"decision": "approve"},
                self.supervisor,
            )
        if step == "promotion":
            body = {
                "tmt": promotion_tmt(today).isoformat(),
                "override_justification": "Uji beban: tanpa penilaian.",
            }
            path = f"/api/employees/{nip}/promotions"
            return Command(
                step,
                "POST /api/employees/{nip}/promotions",
                "POST",
                path,
                body,
                BKPSDM,
                ("bkpsdm",),
            )
        if step == "position-change":
            body = {
                "name": POSITIONS[1 + self.step % (len(POSITIONS) - 1)],
                "kind": "pelaksana",
                "tmt": today.isoformat(),
            }
            path = f"/api/employees/{nip}/position"
            return Command(
                step, "PUT /api/employees/{nip}/position", "PUT", path, body, BKPSDM, ("bkpsdm",)
            )
        raise AssertionError(f"no command for step {step}")

    def advance(self, answer: Mapping[str, Any]) -> None:
        """The step was acknowledged: keep what later steps need, move on."""
        step = STEPS[self.step]
        if step == "skp-create":
            self.ids["skp"] = str(answer["id"])
        elif step == "leave-request":
            self.ids["leave"] = str(answer["id"])
        self.step += 1


def new_key() -> str:
    return str(uuid.uuid4())
