"""The BKPSDM officer's pages in Debian's chromium, against the whole running suite: units and
employees (register, edit with its ETag and a stale edit said in words, mutasi, position,
supervisor), a promotion with a written override, the DUK and upcoming retirements downloaded
as XLSX and CSV, holidays and a unit's hours, training institutions, programs and budgets.
Every page passes axe-core; screenshots land in portal/screenshots/."""

from __future__ import annotations

import csv
import io
import random
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from e2e_browser import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    build_portal,
    check_accessibility,
    require_tools,
    screenshot,
)
from e2e_testkit import Portal, new_nip, new_unit_code, today_wib
from openpyxl import load_workbook
from playwright.async_api import Browser, Page, async_playwright, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout
from servicekit.testing import eventually

# The first browser test of a session also waits for the portal's build (`make portal`),
# minutes on a loaded machine: a wider guard against a hang than the suite's 300 s.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    require_tools()
    build_portal()
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


@pytest.fixture
async def officer(browser: Browser, portal: Portal) -> AsyncIterator[Page]:
    """A BKPSDM officer signed in at desktop size (their work is at a desk)."""
    context = await browser.new_context(
        base_url=portal.suite.gateway_url,
        viewport=DESKTOP,  # type: ignore[arg-type]
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        accept_downloads=True,
    )
    page = await context.new_page()
    await page.goto("/masuk")
    await page.get_by_label("NIP", exact=True).fill(new_nip())
    await page.get_by_role("checkbox", name="bkpsdm").check()
    await page.locator("form").get_by_role("button", name="Masuk").click()
    await expect(page.get_by_role("heading", name="Data Pegawai")).to_be_visible()
    yield page
    await context.close()


def grouped(nip: str) -> str:
    """The NIP as the portal writes it: `19830325 201103 2 001`."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


async def test_units_and_employees_register_edit_transfer_and_a_stale_edit(officer, portal):
    page = officer
    other_unit, boss = new_unit_code(), new_nip()
    await portal.unit(other_unit)
    await portal.employee(boss, other_unit)

    # Unit Kerja: create a unit; it is in the list.
    unit = new_unit_code()
    await page.get_by_role("link", name="Unit Kerja").click()
    await expect(page.get_by_role("heading", name="Unit Kerja", exact=True)).to_be_visible()
    await page.get_by_label("Kode unit").fill(unit)
    await page.get_by_label("Nama unit").fill(f"Dinas Uji {unit}")
    await page.get_by_label("Jenis unit").select_option("dinas")
    await page.get_by_role("button", name="Tambah Unit").click()
    await expect(page.get_by_test_id("done")).to_have_text(f"Unit Dinas Uji {unit} ditambahkan.")
    await expect(
        page.get_by_test_id("units").get_by_role("row", name=f"Dinas Uji {unit}")
    ).to_be_visible()
    await check_accessibility(page, "unit-kerja")

    # Register an employee in it from Data Pegawai; the page opens the new record.
    nip = new_nip(sex=2)
    await page.goto("/data-pegawai")
    await page.get_by_role("link", name="Daftarkan Pegawai").click()
    await expect(page.get_by_role("heading", name="Pendaftaran Pegawai")).to_be_visible()
    await check_accessibility(page, "pegawai-baru")
    await page.get_by_label("NIP", exact=True).fill(nip[:10])
    await page.get_by_label("Nama lengkap dengan gelar").fill("Rina Oktavia, S.Kom.")
    await page.get_by_label("Jenis kelamin").select_option("female")
    await page.get_by_label("Tanggal lahir").fill(f"{nip[0:4]}-{nip[4:6]}-{nip[6:8]}")
    await page.get_by_label("Golongan", exact=True).select_option("III/a")
    await page.get_by_label("TMT golongan").fill("2020-04-01")
    await page.get_by_label("TMT CPNS").fill("2010-01-01")
    await page.get_by_label("Nama jabatan").fill("Pranata Komputer")
    await page.get_by_label("Jenis jabatan").select_option("pelaksana")
    await page.get_by_label("Unit kerja").select_option(unit)
    await page.get_by_label("Pendidikan terakhir").select_option("s1")
    # A short NIP: refused, the reason beside the NIP field, nothing registered.
    await page.get_by_role("button", name="Daftarkan Pegawai").click()
    await expect(page.get_by_role("alert")).to_contain_text("NIP tidak valid")
    nip_item = page.locator(".n-form-item").filter(has=page.get_by_label("NIP", exact=True))
    await expect(nip_item).to_contain_text("18")
    # The message fades in; axe measures its contrast once it is fully there.
    await page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    await check_accessibility(page, "pegawai-baru-error")
    await page.get_by_label("NIP", exact=True).fill(nip)
    await page.get_by_role("button", name="Daftarkan Pegawai").click()
    await expect(page.get_by_role("heading", name="Rina Oktavia, S.Kom.")).to_be_visible()
    await expect(page.get_by_test_id("registered")).to_contain_text("terdaftar")
    record = page.get_by_test_id("employee")
    await expect(record).to_contain_text(grouped(nip))
    await expect(record).to_contain_text("III/a — Penata Muda")
    await check_accessibility(page, "pegawai-detail")

    # Edit with the ETag read: only the phone changes.
    await page.get_by_label("Nomor telepon").fill("+62 813 1111 2222")
    await page.get_by_role("button", name="Simpan", exact=True).click()
    await expect(page.get_by_test_id("done")).to_have_text("Data Rina Oktavia, S.Kom. tersimpan.")

    # Someone else saves the record meanwhile: the next edit here is refused, in words.
    current = await portal.call("GET", f"/api/employees/{nip}")
    theirs = await portal.call(
        "PATCH",
        f"/api/employees/{nip}",
        {"address": "Jl. Muhammad Yamin No. 5, Sawahlunto"},
        headers={"If-Match": current.headers["etag"]},
    )
    assert theirs.status_code == 200, theirs.text
    await page.get_by_label("Nama lengkap dengan gelar").fill("Rina Oktaviani, S.Kom.")
    await page.get_by_role("button", name="Simpan", exact=True).click()
    stale = page.get_by_test_id("stale-edit")
    await expect(stale).to_contain_text("sudah diubah orang lain sejak Anda membukanya")
    await expect(stale).to_contain_text("perubahan Anda belum disimpan")
    await check_accessibility(page, "pegawai-stale")
    await screenshot(page, "pegawai-stale-desktop")
    unchanged = (await portal.call("GET", f"/api/employees/{nip}")).json()
    assert unchanged["name"] == "Rina Oktavia, S.Kom."
    await stale.get_by_role("button", name="Muat ulang data terbaru").click()
    await expect(page.get_by_label("Alamat")).to_have_value("Jl. Muhammad Yamin No. 5, Sawahlunto")
    await page.get_by_label("Nama lengkap dengan gelar").fill("Rina Oktaviani, S.Kom.")
    await page.get_by_role("button", name="Simpan", exact=True).click()
    await expect(page.get_by_role("heading", name="Rina Oktaviani, S.Kom.")).to_be_visible()

    # Mutasi to the other unit with a new supervisor; then the position.
    await page.get_by_label("Unit tujuan").select_option(other_unit)
    await page.get_by_label("NIP atasan baru").fill(boss)
    await page.get_by_role("button", name="Mutasi", exact=True).click()
    await expect(page.get_by_test_id("done")).to_have_text(f"Mutasi ke {other_unit} tercatat.")
    await expect(record).to_contain_text(f"({other_unit})")
    await expect(record).to_contain_text(grouped(boss))
    await page.get_by_label("Nama jabatan").fill("Pranata Komputer Ahli Pertama")
    await page.get_by_label("Jenis jabatan").select_option("fungsional")
    await page.get_by_label("Jenjang jabatan").select_option("ahli_pertama")
    await page.get_by_role("button", name="Simpan Jabatan").click()
    await expect(page.get_by_test_id("done")).to_contain_text("Pranata Komputer Ahli Pertama")
    await expect(record).to_contain_text("Pranata Komputer Ahli Pertama, Fungsional")

    # Supervisor: none from today.
    await page.get_by_label("NIP atasan langsung (kosongkan").fill("")
    await page.get_by_role("button", name="Simpan Atasan Langsung").click()
    await expect(page.get_by_test_id("done")).to_have_text("Atasan langsung tercatat.")
    await screenshot(page, "pegawai-detail-desktop")

    after = (await portal.call("GET", f"/api/employees/{nip}")).json()
    assert after["unit_code"] == other_unit
    assert after["position"]["level"] == "ahli_pertama"
    assert after["supervisor_nip"] is None
    assert after["phone"] == "+62 813 1111 2222"

    # Data Pegawai finds the person (from the gateway's read model) and opens the record.
    await page.goto("/data-pegawai")
    search = page.get_by_role("searchbox", name="Cari nama atau NIP")
    link = page.get_by_test_id("employee-link").filter(has_text="Rina Oktaviani")

    async def found() -> bool:
        await search.fill("")
        await search.fill("Rina Oktaviani")
        try:
            await link.wait_for(timeout=2000)
        except PlaywrightTimeout:
            return False
        return True

    await eventually(found, what="the employee in Data Pegawai's search")
    await check_accessibility(page, "data-pegawai")
    await link.click()
    await expect(page.get_by_role("heading", name="Rina Oktaviani, S.Kom.")).to_be_visible()


async def test_promote_with_a_written_override(officer, portal):
    page = officer
    unit, nip = new_unit_code(), new_nip()
    await portal.unit(unit)
    await portal.employee(nip, unit)  # III/b since 2022-04-01, no predikat recorded

    await page.get_by_role("link", name="Kenaikan Pangkat").click()
    await expect(page.get_by_role("heading", name="Kenaikan Pangkat")).to_be_visible()
    period = await page.get_by_label("Periode").input_value()
    assert period[5:] in ("04-01", "10-01") and period > today_wib().isoformat()
    item = page.get_by_test_id("not-yet").filter(has_text=grouped(nip))
    await expect(item).to_contain_text("Belum ada predikat kinerja tahun")
    await check_accessibility(page, "kenaikan-pangkat")

    name = f"Pegawai E2E {nip[-4:]}"
    await item.get_by_role("button", name=f"Promosikan dengan pengecualian: {name}").click()
    justification = "Predikat 2025 hilang dari sistem lama; SKP kertas bernilai Baik (BA-12/2026)."
    confirm = item.get_by_role("button", name="Promosikan dengan alasan ini")
    await expect(confirm).to_be_disabled()  # no promotion over the rules without a reason
    await item.get_by_label("Alasan tertulis pengecualian (wajib)").fill(justification)
    await check_accessibility(page, "kenaikan-pangkat-override")
    await screenshot(page, "kenaikan-pangkat-desktop")
    await confirm.click()
    await expect(page.get_by_test_id("done")).to_contain_text(f"{name} naik pangkat ke III/c")
    await expect(item).to_have_count(0)

    after = (await portal.call("GET", f"/api/employees/{nip}")).json()
    assert (after["golongan"], after["tmt_golongan"]) == ("III/c", period)
    history = (await portal.call("GET", f"/api/employees/{nip}/history")).json()["items"]
    promoted = [row for row in history if row["field"] == "golongan" and row["value"] == "III/c"]
    assert [row["note"]["override"]["justification"] for row in promoted] == [justification]


def _retiring_nip() -> tuple[str, date]:
    """A pelaksana (BUP 58) who turns 58 about three months from today."""
    today = today_wib()
    born = date(today.year - 58, today.month, 10) + timedelta(days=90)
    return f"{born:%Y%m%d}2010011{random.randrange(1000):03d}", born


async def test_duk_and_retirements_as_tables_and_downloads(officer, portal, tmp_path):
    page = officer
    unit, nip = new_unit_code(), new_nip()
    retiring, _ = _retiring_nip()
    await portal.unit(unit)
    await portal.employee(nip, unit)
    await portal.employee(retiring, unit)

    await page.get_by_role("link", name="DUK", exact=True).click()
    await expect(page.get_by_role("heading", name="Daftar Urut Kepangkatan (DUK)")).to_be_visible()
    await page.get_by_label("Unit kerja").select_option(unit)
    table = page.get_by_test_id("duk")
    await expect(table.get_by_role("row")).to_have_count(3)  # the header and the two
    await expect(table.get_by_role("row").nth(1)).to_contain_text("III/b — Penata")
    await check_accessibility(page, "duk")
    await screenshot(page, "duk-desktop")

    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Unduh XLSX").click()
    xlsx = await waiting.value
    assert xlsx.suggested_filename == f"DUK-{unit}-{today_wib().isoformat()}.xlsx"
    saved = tmp_path / xlsx.suggested_filename
    await xlsx.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("No. Urut", "NIP", "Nama", "Golongan")
    assert sorted(r[1] for r in rows[1:]) == sorted([nip, retiring])
    await expect(page.get_by_test_id("downloaded")).to_contain_text("diunduh")

    await page.get_by_role("link", name="Pensiun", exact=True).click()
    await expect(page.get_by_role("heading", name="Pensiun (BUP)")).to_be_visible()
    row = page.get_by_test_id("retirements").get_by_role("row").filter(has_text=grouped(retiring))
    await expect(row).to_contain_text(unit)
    await check_accessibility(page, "pensiun")
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Unduh CSV").click()
    csv_file = await waiting.value
    assert csv_file.suggested_filename.startswith("Pensiun-kota-")
    assert csv_file.suggested_filename.endswith(".csv")
    saved = tmp_path / csv_file.suggested_filename
    await csv_file.save_as(saved)
    lines = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert lines[0][:2] == ["NIP", "Nama"]
    assert [line[2] for line in lines if line[0] == retiring] == [unit]
    assert nip not in [line[0] for line in lines]


async def test_holidays_schedules_and_training_administration(officer, portal):
    page = officer
    unit = new_unit_code()
    await portal.unit(unit)
    await portal.until(
        "GET", f"/api/schedules/{unit}", lambda r: r.status_code == 200, "presensi knows the unit"
    )

    # Hari Libur: a cuti bersama on a free day next year, then removed; a unit's hours.
    next_year = today_wib().year + 1
    day = date(next_year, 1, 1) + timedelta(days=random.randrange(2, 360))
    name = f"Cuti bersama uji {uuid.uuid4().hex[:4]}"
    await page.goto("/hari-libur")  # the menu's last items fold behind "…"
    await expect(page.get_by_role("heading", name="Hari Libur", exact=True)).to_be_visible()
    await page.get_by_label("Tanggal", exact=True).fill(day.isoformat())
    await page.get_by_label("Keterangan").fill(name)
    await page.get_by_label("Jenis", exact=True).select_option("cuti_bersama")
    await page.get_by_role("button", name="Tambah Hari Libur").click()
    await expect(page.get_by_test_id("done")).to_have_text(f"{name} ditambahkan.")
    holiday = page.get_by_test_id("holidays").get_by_role("row").filter(has_text=name)
    await expect(holiday).to_contain_text("Cuti bersama")
    await check_accessibility(page, "hari-libur")
    await holiday.get_by_role("button", name=f"Hapus {name}").click()
    await expect(page.get_by_test_id("done")).to_have_text(f"{name} dihapus.")
    await expect(holiday).to_have_count(0)

    await page.get_by_label("Unit kerja").select_option(unit)
    await expect(page.get_by_test_id("schedule")).to_have_attribute("data-unit", unit)
    saturday = page.get_by_test_id("schedule").get_by_role("row").filter(has_text="Sabtu")
    await saturday.get_by_role("checkbox").check()
    await page.get_by_label("Sabtu: Pulang").fill("12:00")
    await page.get_by_role("button", name="Simpan Jadwal").click()
    await expect(page.get_by_test_id("done")).to_have_text(f"Jadwal {unit} tersimpan.")
    hours = (await portal.call("GET", f"/api/schedules/{unit}")).json()["rows"]
    assert any(r["days"].get("5", {}).get("end") == "12:00" for r in hours), hours

    # Pelatihan & Anggaran: an institution, a program through its life, a unit's budget.
    institution = f"BPSDM Uji {uuid.uuid4().hex[:4]}"
    title = f"Bimtek Arsip Digital {uuid.uuid4().hex[:4]}"
    await page.goto("/pelatihan-anggaran")
    await expect(page.get_by_role("heading", name="Pelatihan & Anggaran")).to_be_visible()
    await page.get_by_label("Nama lembaga").fill(institution)
    await page.get_by_label("Nomor perjanjian kerja sama (PKS)").fill("PKS-01/2026")
    await page.get_by_role("button", name="Tambah Lembaga").click()
    await expect(page.get_by_test_id("done")).to_have_text(f"Lembaga {institution} ditambahkan.")
    await page.get_by_label("Judul program").fill(title)
    await page.get_by_label("Lembaga", exact=True).select_option(label=institution)
    await page.get_by_label("JP", exact=True).fill("16")
    await page.get_by_label("Tempat").fill("Aula BKPSDM Kota Sawahlunto")
    await page.get_by_role("button", name="Buat Program").click()
    await expect(page.get_by_test_id("done")).to_have_text(f"Program {title} dibuat.")
    program = page.get_by_test_id("program").filter(has_text=title)
    await expect(program).to_contain_text("Draf")
    await check_accessibility(page, "pelatihan-anggaran")
    for step, state in (
        ("Buka Pendaftaran", "Pendaftaran dibuka"),
        ("Mulai Pelaksanaan", "Berlangsung"),
        ("Selesai", "Selesai"),
    ):
        await program.get_by_role("button", name=f"{step}: {title}").click()
        await expect(page.get_by_test_id("done")).to_have_text(f"{title}: {state}.")
        await expect(program).to_contain_text(state)

    await page.get_by_label("Unit kerja").select_option(unit)
    await page.get_by_role("button", name="Tampilkan").click()
    await page.get_by_label("Pagu (Rp)").fill("25000000")
    await page.get_by_role("button", name="Simpan Pagu").click()
    await expect(page.get_by_test_id("done")).to_contain_text(f"Pagu {unit}")
    await expect(page.get_by_test_id("budget").get_by_role("row", name="Pagu")).to_contain_text(
        "Rp25.000.000"
    )
    await screenshot(page, "pelatihan-anggaran-desktop")
    year = today_wib().year
    budget = (await portal.call("GET", f"/api/training-budgets/{unit}/{year}")).json()
    assert budget["allocated"] == 25_000_000


async def test_the_bkpsdm_pages_at_phone_width(browser, portal):
    """The officer's lists read at 360 px too: the tables scroll inside their panel."""
    unit = new_unit_code()
    await portal.unit(unit)
    await portal.employee(_retiring_nip()[0], unit)
    context = await browser.new_context(
        base_url=portal.suite.gateway_url,
        viewport=PHONE,  # type: ignore[arg-type]
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    page = await context.new_page()
    await page.goto("/masuk")
    await page.get_by_label("NIP", exact=True).fill(new_nip())
    await page.get_by_role("checkbox", name="bkpsdm").check()
    await page.locator("form").get_by_role("button", name="Masuk").click()
    await expect(page.get_by_role("heading", name="Data Pegawai")).to_be_visible()
    for path, heading, testid in (
        ("/kenaikan-pangkat", "Kenaikan Pangkat", "not-yet"),
        ("/pensiun", "Pensiun (BUP)", "retirements"),
    ):
        await page.goto(path)
        await expect(page.get_by_role("heading", name=heading)).to_be_visible()
        await expect(page.get_by_test_id(testid).first).to_be_visible()
        await screenshot(page, f"{path[1:]}-phone")
        # The page's own content: wide tables scroll inside their panel, not the page.
        overflow = await page.evaluate(
            "(() => { const m = document.querySelector('main');"
            " return m.scrollWidth - m.clientWidth })()"
        )
        assert overflow <= 0, f"{path} is {overflow} px wider than the phone"
        await check_accessibility(page, f"{path[1:]}-phone")
    await context.close()
