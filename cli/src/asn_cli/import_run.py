"""Carrying out an import plan through pegawai's own commands (so the normal events flow).

Everything goes over pegawai's HTTP API (through the gateway by default) with the
operator's token: the same checks, the same outbox, the same events as a person typing
each record into the portal. Each command carries an Idempotency-Key made from its
content, so an import interrupted and run again sends nothing twice, and a second run of
a finished import finds every unit and NIP present and changes nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

from asn_cli.failures import CliError
from asn_cli.import_plan import Command, Plan, Problem
from asn_cli.siasn import Sheet

CONCURRENCY = 8
Progress = Callable[[int], None]


@dataclass
class ImportResult:
    units_created: int = 0
    employees_created: int = 0
    units_present: int = 0
    employees_present: int = 0
    failed: list[Problem] = field(default_factory=list)


def _idempotency_key(kind: str, command: Command) -> str:
    digest = hashlib.sha256(json.dumps(command.body, sort_keys=True).encode()).hexdigest()
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"asn-import:{kind}:{command.key}:{digest}"))


def _refusal(response: httpx.Response) -> tuple[str, str]:
    try:
        problem = response.json()
    except ValueError:
        return f"http_{response.status_code}", response.text[:200]
    errors = problem.get("errors") or []
    details = "; ".join(f"{e.get('field', '')}: {e.get('message', '')}" for e in errors[:3])
    return str(problem.get("code", response.status_code)), str(
        problem.get("detail") or problem.get("title") or ""
    ) + (f" ({details})" if details else "")


async def _get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    try:
        response = await client.get(path)
    except httpx.TransportError as exc:
        raise CliError(
            f"cannot reach pegawai at {str(client.base_url).rstrip('/')} ({type(exc).__name__})"
        ) from None
    if response.status_code in (401, 403):
        raise CliError(
            f"pegawai refused the token ({response.status_code}): an import needs a BKPSDM token "
            "(--token or ASN_TOKEN)"
        )
    if response.status_code >= 500:
        raise CliError(f"pegawai answered {response.status_code} to GET {path}; try again later")
    return response


async def known_units(client: httpx.AsyncClient) -> dict[str, str]:
    response = await _get(client, "/units?flat=true")
    if response.status_code != 200:
        raise CliError(f"GET /units answered {response.status_code}: {response.text[:200]}")
    return {u["code"]: u["name"] for u in response.json()["items"]}


async def known_nips(client: httpx.AsyncClient, nips: Iterable[str]) -> set[str]:
    """Which of these NIPs pegawai holds (one GET each, a few at a time)."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def present(nip: str) -> str | None:
        if not (len(nip) == 18 and nip.isdigit()):
            return None  # the plan reports it as malformed; no need to ask
        async with gate:
            response = await _get(client, f"/employees/{nip}")
        return nip if response.status_code == 200 else None

    found = await asyncio.gather(*(present(n) for n in set(nips)))
    return {n for n in found if n is not None}


def nips_in(sheet: Sheet) -> set[str]:
    """Every NIP the export names: each row's own and its NIP_ATASAN."""
    nips: set[str] = set()
    for _, record in sheet.rows:
        nips.update(v for k in ("NIP_BARU", "NIP", "NIP_ATASAN") if (v := record.get(k)))
    return nips


async def _send(
    client: httpx.AsyncClient, path: str, kind: str, command: Command, sheet: str
) -> bool | Problem:
    """True when created, False when it was there already, a Problem when refused."""
    try:
        response = await client.post(
            path, json=command.body, headers={"Idempotency-Key": _idempotency_key(kind, command)}
        )
    except httpx.TransportError as exc:
        raise CliError(
            f"lost pegawai at {str(client.base_url).rstrip('/')} ({type(exc).__name__}); "
            "run the import again: "
            "what was sent is not sent twice"
        ) from None
    if response.status_code in (200, 201):
        return True
    if response.status_code == 409:
        return False
    if response.status_code >= 500 or response.status_code in (401, 403):
        raise CliError(
            f"pegawai answered {response.status_code} to POST {path}: {response.text[:200]}"
        )
    code, message = _refusal(response)
    return Problem(sheet, command.line, command.key, code, message)


async def apply_plan(
    client: httpx.AsyncClient,
    plan: Plan,
    *,
    unit_sheet: str,
    employee_sheet: str,
    progress: Progress | None = None,
) -> ImportResult:
    result = ImportResult(
        units_present=plan.units_present, employees_present=plan.employees_present
    )
    done = 0
    for command in plan.units:  # parents before children: one at a time
        outcome = await _send(client, "/units", "unit", command, unit_sheet)
        if isinstance(outcome, Problem):
            result.failed.append(outcome)
        elif outcome:
            result.units_created += 1
        else:
            result.units_present += 1
        done += 1
        if progress:
            progress(done)
    # Employees in waves: everyone whose supervisor is already in pegawai goes together.
    placed: set[str] = set()
    refused: set[str] = set()
    pending = list(plan.employees)
    in_plan = {c.key for c in pending}
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(command: Command) -> tuple[Command, bool | Problem]:
        async with gate:
            return command, await _send(client, "/employees", "employee", command, employee_sheet)

    while pending:
        wave = [
            c
            for c in pending
            if (boss := c.body["supervisor_nip"]) is None or boss not in in_plan or boss in placed
        ]
        blocked = [c for c in pending if c.body["supervisor_nip"] in refused]
        for command in blocked:
            boss = command.body["supervisor_nip"]
            result.failed.append(
                Problem(
                    employee_sheet,
                    command.line,
                    command.key,
                    "supervisor_not_imported",
                    f"Atasan {boss} ditolak pegawai; baris ini tidak dikirim.",
                )
            )
            refused.add(command.key)
        wave = [c for c in wave if c not in blocked]
        pending = [c for c in pending if c not in wave and c not in blocked]
        for command, outcome in await asyncio.gather(*(one(c) for c in wave)):
            if isinstance(outcome, Problem):
                result.failed.append(outcome)
                refused.add(command.key)
            else:
                placed.add(command.key)
                if outcome:
                    result.employees_created += 1
                else:
                    result.employees_present += 1
        done += len(wave) + len(blocked)
        if progress:
            progress(done)
        if not wave and not blocked:
            break  # cannot happen for a plan from make_plan (it is ordered); never spin
    return result


def http_client(url: str, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=url.rstrip("/"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx.Timeout(30.0, connect=5.0),
    )
