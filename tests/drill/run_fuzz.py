"""`make fuzz-stack` (and a stage of `make drill`; issue 17, "Bad input at scale"):
schemathesis against the whole suite as it runs for a city — every service, the gateway and
its projector as processes on the drill's own stack (real Kafka and PostgreSQL, free ports).

A little real data is registered first (a unit with a working schedule, a supervisor and
the people who report to them), so path and query parameters that name a NIP or a unit are
drawn from real ones part of the time and the fuzzer reaches past "not found".

The document fuzzed is the gateway's merged `/api/openapi.json` (every service's forwarded
routes and the gateway's own views, as the portal calls them), plus aspirasi's citizens'
`/public/…` routes under `/api/public/…` (the merged document leaves them out: they need no
token), both sent through the gateway. For each role's token — an ASN (pegawai), their
supervisor (the same role; the rights come from the data), an admin_opd of the unit, BKPSDM,
an auditor and the complaints coordinator (admin_aspirasi) — every operation gets
schemathesis' phases (its documented examples, coverage of boundary values — about fifty
requests an operation, whatever FUZZ_EXAMPLES says — and FUZZ_EXAMPLES random examples)
and two checks: not_a_server_error and response_schema_conformance (those the in-process
fuzz tests use; status_code_conformance is not used in the project: the problem answers are
not declared).

Prints a table service × role → operations, requests, those naming seeded data (the random
phase puts a real NIP or unit code in a parameter that names one half the time), 5xx and
schema violations, then each distinct 5xx with a curl to replay it. Exits 1 on any 5xx, any
violation, or a run that could not finish. FUZZ_EXAMPLES (default 20: about ten minutes on
the loaded 2-core machine), FUZZ_ROLES=pegawai,bkpsdm for some roles, FUZZ_SEED for another
seed.
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import schemathesis
from devstack.services import DEV_KEYS_DIR
from drill_suite import EVERY_PROCESS, DrillSuite, drill_suite
from gateway.upstream import PUBLIC_SERVICE, owner
from hypothesis import strategies as st
from schemathesis.config import CacheConfig, HealthCheck
from schemathesis.core.result import Ok
from schemathesis.engine import events
from schemathesis.engine import from_schema as engine_for
from servicekit.devkeys import ensure_dev_keys, mint_token
from suite_commands import BKPSDM

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
SEED = int(os.environ.get("FUZZ_SEED", "10"))
CHECKS = ["not_a_server_error", "response_schema_conformance"]
SETTLE_TIMEOUT_S = 300.0
WIB = ZoneInfo("Asia/Jakarta")

UNIT = "opd-fuzz"
SUPERVISOR = "197805122005011002"
STAFF = ("198502142010011003", "199003212015022004")
ADMIN_OPD = "198807072012011005"
AUDITOR = "197512302000031006"
COORDINATOR = "198011112006042007"
PEOPLE = (SUPERVISOR, *STAFF, ADMIN_OPD)
REAL = {*PEOPLE, UNIT}

# Who fuzzes: (sub, roles, unit_id). The supervisor's rights come from `supervisor_nip` in
# the data, so their token is an ordinary ASN's.
ROLES: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "pegawai": (STAFF[0], ("pegawai",), None),
    "supervisor": (SUPERVISOR, ("pegawai",), None),
    "admin_opd": (ADMIN_OPD, ("pegawai", "admin_opd"), UNIT),
    "bkpsdm": (BKPSDM, ("bkpsdm",), None),
    # Read-only oversight (Inspektorat) and the complaints coordinator (Diskominfo): people
    # who need not be in the unit or in pegawai at all.
    "auditor": (AUDITOR, ("pegawai", "auditor"), None),
    "admin_aspirasi": (COORDINATOR, ("pegawai", "admin_aspirasi"), None),
}
PUBLIC_ROLE = "publik"

# Rate limits out of the fuzzer's way (a 429 is a fine answer, but it ends the path there);
# the limiters themselves are tested in their services' tests.
LIMITS_OFF = {
    "ASN_PUBLIC_LIMIT": "1000000",
    "ASN_PUBLIC_SUBMISSION_LIMIT": "1000000",
    "ASN_SUBMISSION_LIMIT": "1000000",
    "ASN_SECRET_FAILURE_LIMIT": "1000000",
}


def say(line: str) -> None:
    print(f"[fuzz] {line}", flush=True)


# --- the data the fuzz starts from --------------------------------------------------------


def employee_body(nip: str, name: str, supervisor: str | None) -> dict[str, Any]:
    return {
        "nip": nip,
        "name": name,
        "sex": "female" if nip[14] == "2" else "male",
        "birth_date": f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}",
        "asn_type": "pns",
        "golongan": "III/c" if supervisor else "IV/a",
        "tmt_golongan": "2022-04-01",
        "tmt_cpns": f"{nip[8:12]}-{nip[12:14]}-01",
        "position": {"name": "Analis SDM Aparatur", "kind": "pelaksana"}
        if supervisor
        else {"name": "Kepala Bidang", "kind": "administrator"},
        "unit_code": UNIT,
        "education": "s1",
        "supervisor_nip": supervisor,
    }


def until(http: httpx.Client, method: str, path: str, ok: set[int], body: Any = None) -> None:
    """A set-up step, repeated until the suite (its replicas caught up) accepts it."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    tries = 0
    while True:
        response = http.request(method, path, json=body)
        if response.status_code in ok:
            return
        tries += 1
        if tries % 30 == 0:  # a set-up that is wrong rather than waiting shows itself early
            say(f"still waiting: {method} {path}: {response.status_code} {response.text[:200]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        time.sleep(0.3)


def seed(suite: DrillSuite, bkpsdm_token: str) -> None:
    headers = {"Authorization": f"Bearer {bkpsdm_token}"}
    with httpx.Client(base_url=suite.gateway_url, headers=headers, timeout=30) as http:
        unit = {
            "code": UNIT,
            "name": "Dinas Uji Fuzz",
            "kind": "dinas",
            "parent_code": None,
            "latitude": -0.68,
            "longitude": 100.78,
            "geofence_radius_m": 150,
        }
        until(http, "POST", "/api/units", {201, 409}, unit)
        today = datetime.now(UTC).astimezone(WIB).date()
        schedule = {
            "kind": "regular",
            "valid_from": (today - timedelta(days=40)).isoformat(),
            "days": {
                str(d): {"start": "07:30", "end": "16:00", "break_minutes": 60} for d in range(5)
            },
        }
        until(http, "PUT", f"/api/schedules/{UNIT}", {200, 201}, schedule)
        until(
            http,
            "POST",
            "/api/employees",
            {201, 409},
            employee_body(SUPERVISOR, "Kabid Fuzz", None),
        )
        for n, nip in enumerate((*STAFF, ADMIN_OPD)):
            body = employee_body(nip, f"Pegawai Fuzz {n + 1}", SUPERVISOR)
            until(http, "POST", "/api/employees", {201, 409}, body)
        for nip in PEOPLE:  # presensi's replica and the gateway's read model know them
            until(http, "GET", f"/api/leave-balances/{nip}", {200})
            until(http, "GET", f"/api/profiles/{nip}", {200})


# --- the fuzz ------------------------------------------------------------------------------


@dataclass
class Cell:
    """One service × role: what was sent and what came back."""

    operations: set[str] = field(default_factory=set)
    requests: int = 0
    real: int = 0  # requests naming a seeded NIP or unit: the paths past "not found"
    server_errors: int = 0
    violations: int = 0


@dataclass
class Finding:
    role: str
    operation: str
    status: int
    body: str
    curl: str


@dataclass
class Tally:
    cells: dict[tuple[str, str], Cell] = field(default_factory=lambda: defaultdict(Cell))
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    violations: dict[tuple[str, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


GATEWAY_PATHS: set[str] = set()
"""The gateway's own routes (its views, `/auth`): they answer before any forwarding."""


def service_of(path: str) -> str:
    """The process that answers an `/api/…` path: the gateway's own views, or a service."""
    if path in GATEWAY_PATHS:
        return "gateway"
    resource, _, rest = path.removeprefix("/api/").partition("/")
    if resource == "public":
        return PUBLIC_SERVICE
    return owner(resource, rest) or "gateway"


def documents(suite: DrillSuite, token: str) -> list[dict[str, Any]]:
    """The merged `/api` document, and aspirasi's public routes as the gateway forwards them."""
    with httpx.Client(timeout=60) as http:
        merged = http.get(
            f"{suite.gateway_url}/api/openapi.json", headers={"Authorization": f"Bearer {token}"}
        )
        merged.raise_for_status()
        gateway = http.get(f"{suite.gateway_url}/openapi.json")
        gateway.raise_for_status()
        GATEWAY_PATHS.update(gateway.json()["paths"])
        own = http.get(f"http://127.0.0.1:{suite.port(PUBLIC_SERVICE)}/openapi.json")
        own.raise_for_status()
    public: dict[str, Any] = own.json()
    public["paths"] = {
        "/api" + path: item for path, item in public["paths"].items() if path.startswith("/public/")
    }
    return [merged.json(), public]


def real_values(name: str) -> Sequence[str]:
    """Real NIPs and unit codes for parameters that name one."""
    if "nip" in name:
        return PEOPLE
    if name in ("code", "unit", "unit_code", "unit_id"):
        return (UNIT,)
    return ()


def sometimes_real(values: dict[str, Any] | None) -> Any:
    """The generated parameters, or the same with real NIPs / unit codes in place (half)."""
    if not values:
        return st.just(values)
    swaps = {k: real_values(k) for k in values}
    swaps = {k: v for k, v in swaps.items() if v}
    if not swaps:
        return st.just(values)
    real = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in swaps.items()}).map(
        lambda chosen: {**values, **chosen}
    )
    return st.one_of(st.just(values), real)


def fuzz(
    suite: DrillSuite, document: dict[str, Any], role: str, token: str | None, tally: Tally
) -> None:
    config = schemathesis.Config(
        suppress_health_check=list(HealthCheck),
        seed=SEED,
        # Off: schemathesis would replay the failures a past run cached in its working
        # folder first, and one run would depend on the one before.
        cache=CacheConfig(enabled=False),
    )
    project = config.projects.override
    project.update(
        base_url=suite.gateway_url,
        headers={"Authorization": f"Bearer {token}"} if token else None,
        workers=1,
        request_timeout=30,
    )
    project.phases.update(phases=["examples", "coverage", "fuzzing"])
    project.checks.update(included_check_names=CHECKS)
    project.generation.update(max_examples=EXAMPLES, database="none")
    schema = schemathesis.openapi.from_dict(document, config=config)

    @schema.hook
    def flatmap_path_parameters(ctx: schemathesis.HookContext, params: dict[str, Any]) -> Any:
        return sometimes_real(params)

    @schema.hook
    def flatmap_query(ctx: schemathesis.HookContext, query: dict[str, Any]) -> Any:
        return sometimes_real(query)

    @schema.hook
    def after_call(
        ctx: schemathesis.HookContext, case: schemathesis.Case[Any], response: schemathesis.Response
    ) -> None:
        label = case.operation.label
        cell = tally.cells[(service_of(case.operation.path), role)]
        cell.operations.add(label)
        cell.requests += 1
        named = [*(case.path_parameters or {}).values(), *(case.query or {}).values()]
        if any(isinstance(v, str) and v in REAL for v in named):
            cell.real += 1
        if response.status_code >= 500:
            cell.server_errors += 1
            tally.findings.setdefault(
                (label, str(response.status_code)),
                Finding(
                    role, label, response.status_code, response.text[:300], case.as_curl_command()
                ),
            )

    @schema.hook
    def after_validate(
        ctx: schemathesis.HookContext,
        case: schemathesis.Case[Any],
        response: schemathesis.Response,
        results: list[schemathesis.CheckResult],
    ) -> None:
        for result in results:
            if result.name == "response_schema_conformance" and result.failure is not None:
                tally.cells[(service_of(case.operation.path), role)].violations += 1
                tally.violations.setdefault(
                    (case.operation.label, result.failure.title),
                    f"{role}: {result.failure.title} ({response.status_code}) "
                    + case.as_curl_command(),
                )

    for result in schema.get_all_operations():  # counted even if no answer came
        if isinstance(result, Ok):
            operation = result.ok()
            tally.cells[(service_of(operation.path), role)].operations.add(operation.label)
        else:
            tally.errors.append(f"{role}: the document: {result.err()}")
    for event in engine_for(schema).execute():
        if isinstance(event, events.NonFatalError):
            tally.errors.append(f"{role}: {event.label}: {event.info.title} {event.info.message}")
        elif isinstance(event, events.FatalError):
            tally.errors.append(f"{role}: fatal: {event.exception!r}")
        elif isinstance(event, events.Interrupted):  # Ctrl-C: schemathesis caught it first
            raise KeyboardInterrupt


HEADER = ("service", "role", "operations", "requests", "real ids", "5xx", "schema violations")


def table(tally: Tally) -> str:
    """One row per service × role, and the totals; `real ids`: requests naming seeded data."""

    def counts(cells: Iterable[Cell]) -> list[str]:
        cells = list(cells)
        return [
            str(sum(c.requests for c in cells)),
            str(sum(c.real for c in cells)),
            str(sum(c.server_errors for c in cells)),
            str(sum(c.violations for c in cells)),
        ]

    rows = [list(HEADER)]
    for (service, role), cell in sorted(tally.cells.items()):
        rows.append([service, role, str(len(cell.operations)), *counts([cell])])
    operations = {op for cell in tally.cells.values() for op in cell.operations}
    rows.append(["total", "", str(len(operations)), *counts(tally.cells.values())])
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]

    def line(row: list[str]) -> str:
        cells = zip(row, widths, strict=True)
        return " | ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(cells))

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(rows[0]), rule, *map(line, rows[1:-1]), rule, line(rows[-1])])


def roles_wanted() -> list[str]:
    wanted = os.environ.get("FUZZ_ROLES")
    names = [*ROLES, PUBLIC_ROLE] if not wanted else [r.strip() for r in wanted.split(",")]
    unknown = set(names) - {*ROLES, PUBLIC_ROLE}
    if unknown:
        raise SystemExit(f"FUZZ_ROLES: unknown {sorted(unknown)}; known {[*ROLES, PUBLIC_ROLE]}")
    return names


def main() -> int:
    names = roles_wanted()
    started = time.monotonic()
    private = ensure_dev_keys(DEV_KEYS_DIR)[0].read_bytes()
    tokens: dict[str, str] = {
        role: mint_token(private, sub=sub, roles=roles, unit_id=unit)
        for role, (sub, roles, unit) in ROLES.items()
    }
    tally = Tally()
    with drill_suite(EVERY_PROCESS, LIMITS_OFF) as suite:
        say(f"suite up in {time.monotonic() - started:.0f} s (gateway {suite.gateway_url})")
        seed(suite, tokens["bkpsdm"])
        merged, public = documents(suite, tokens["bkpsdm"])
        say(f"seeded; {len(merged['paths'])} paths under /api, {len(public['paths'])} public")
        for role in names:
            began = time.monotonic()
            if role == PUBLIC_ROLE:
                fuzz(suite, public, role, None, tally)
            else:
                fuzz(suite, merged, role, tokens[role], tally)
            sent = sum(c.requests for (_, r), c in tally.cells.items() if r == role)
            say(f"{role}: {sent} requests in {time.monotonic() - began:.0f} s")
    print()
    print(table(tally))
    print(
        f"\n{EXAMPLES} random examples per operation (FUZZ_EXAMPLES), seed {SEED}; "
        f"{time.monotonic() - started:.0f} s in all, the suite's start included."
    )
    for finding in tally.findings.values():
        print(f"\n5xx {finding.status} {finding.operation} as {finding.role}: {finding.body}")
        print(f"  {finding.curl}")
    for key, text in tally.violations.items():
        print(f"\nschema violation {key[0]}: {text}")
    for error in tally.errors:
        print(f"\nerror: {error}")
    failed = bool(tally.findings or tally.violations or tally.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
