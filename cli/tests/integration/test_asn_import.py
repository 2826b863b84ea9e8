"""`asn import employees` against the real pegawai (its app on a fresh database and topic):
the dry run changes nothing, the import goes through pegawai's commands so its events flow,
and a second run changes nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asn_cli import import_run
from asn_cli.import_plan import make_plan
from asn_cli.siasn import read_export
from pegawai.main import create_app, migrate
from pegawai.settings import PegawaiSettings
from pegawai_testkit import BKPSDM_NIP, Service
from servicekit.testing import read_topic_events
from siasn_fixtures import HEAD, MID, STAFF, employee, good_rows, write_workbook
from tests_cli_support import asn

pytestmark = pytest.mark.integration


@pytest.fixture
async def pegawai(
    new_database, new_topic, kafka_bootstrap, dev_keys, token_for
) -> AsyncIterator[Service]:
    settings = PegawaiSettings(
        database_url=await new_database("pegawai"),
        kafka_bootstrap=kafka_bootstrap,
        jwt_public_key_file=dev_keys[1],
        environment="test",
        events_topic=await new_topic("pegawai"),
        kinerja_topic=await new_topic("kinerja"),
        pelatihan_topic=await new_topic("pelatihan"),
        consumer_group=f"pegawai-{uuid.uuid4().hex[:8]}",
        relay_poll_interval_s=0.2,
        log_json=False,
    )
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        token = token_for(BKPSDM_NIP, "bkpsdm")
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://pegawai",
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            yield Service(client, app.state.runtime.db, settings, kafka_bootstrap, token_for)


async def plan_for(service: Service, export: Path):
    employees, units = read_export(export)
    have_units = await import_run.known_units(service.client)
    have = await import_run.known_nips(service.client, import_run.nips_in(employees))
    return make_plan(employees, units, have_units, have)


async def test_dry_run_then_import_then_a_second_run_that_changes_nothing(pegawai, tmp_path):
    bad = employee("199101012016011001", MID, GOL_AKHIR_NAMA="III/z")
    export = write_workbook(tmp_path / "siasn.xlsx", [*good_rows(), bad])

    # Dry run: every row checked, nothing sent.
    plan = await plan_for(pegawai, export)
    assert [(p.line, p.code) for p in plan.problems] == [(5, "unknown_golongan")]
    assert (len(plan.units), len(plan.employees)) == (2, 3)
    assert await pegawai.outbox_count() == 0
    assert (await pegawai.client.get(f"/employees/{HEAD}")).status_code == 404

    plan = await plan_for(pegawai, export)
    seen: list[int] = []
    result = await import_run.apply_plan(
        pegawai.client, plan, unit_sheet="UNOR", employee_sheet="PNS", progress=seen.append
    )
    assert (result.units_created, result.employees_created, result.failed) == (2, 3, []), [
        (p.code, p.message) for p in result.failed
    ]
    assert seen[-1] == 5
    staff = (await pegawai.client.get(f"/employees/{STAFF}")).json()
    assert (staff["supervisor_nip"], staff["unit_code"], staff["education"]) == (
        MID,
        "dinkes-p2p",
        "d3",
    )
    events = await pegawai.published_events(5)
    assert sorted(e["type"] for e in events) == sorted(
        ["pegawai.unit.created.v1"] * 2 + ["pegawai.employee.registered.v1"] * 3
    )

    # The same file again: all present, nothing sent, no new event in the outbox.
    again = await plan_for(pegawai, export)
    assert (again.units, again.employees) == ([], [])
    assert (again.units_present, again.employees_present) == (2, 3)
    second = await import_run.apply_plan(
        pegawai.client, again, unit_sheet="UNOR", employee_sheet="PNS"
    )
    assert (second.units_created, second.employees_created) == (0, 0)
    assert await pegawai.outbox_count() == 5
    assert len(await read_topic_events(pegawai.bootstrap, pegawai.settings.events_topic)) == 5


async def test_a_row_pegawai_refuses_is_reported_and_its_people_are_not_sent(pegawai, tmp_path):
    # A phone number longer than pegawai takes: only pegawai knows, at the command.
    rows = good_rows()
    rows[1]["NOMOR_HP"] = "0" * 40  # MID, whom STAFF reports to
    export = write_workbook(tmp_path / "siasn.xlsx", rows)
    plan = await plan_for(pegawai, export)
    assert plan.problems == []

    result = await import_run.apply_plan(
        pegawai.client, plan, unit_sheet="UNOR", employee_sheet="PNS"
    )

    assert result.employees_created == 1
    assert [(p.key, p.code) for p in result.failed] == [
        (MID, "validation_error"),
        (STAFF, "supervisor_not_imported"),
    ]
    assert (await pegawai.client.get(f"/employees/{STAFF}")).status_code == 404


async def test_the_command_line_names_a_missing_file_or_an_unreachable_api_in_one_line(tmp_path):
    missing = await asn("import", "employees", str(tmp_path / "nope.xlsx"), "--token", "t")
    assert (missing.returncode, missing.stderr.strip()) == (
        1,
        f"asn: {tmp_path / 'nope.xlsx'}: no such file",
    )
    export = write_workbook(tmp_path / "siasn.xlsx", good_rows())
    down = await asn(
        "import", "employees", str(export), "--dry-run", "--url", "http://127.0.0.1:9/api",
        "--token", "t",
    )  # fmt: skip
    assert down.returncode == 1
    assert (
        down.stderr.strip() == "asn: cannot reach pegawai at http://127.0.0.1:9/api (ConnectError)"
    )
