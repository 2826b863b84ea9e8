"""The portal's main tasks in Debian's chromium, against the whole running suite: an ASN
checks in and asks for leave, the supervisor approves it from the inbox, an OPD admin sees
the unit dashboard; a citizen, without signing in, sends a complaint, follows it with its code
and secret, reopens and confirms it, and finds it on the public board. Every page passes
axe-core; screenshots land in portal/screenshots/."""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from e2e_aspirasi import COORDINATOR, route, unit_step
from e2e_browser import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    build_portal,
    check_accessibility,
    fits_the_width,
    require_tools,
    screenshot,
)
from e2e_pelatihan import published_program
from e2e_testkit import Portal, new_nip, new_unit_code, today_wib
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect
from servicekit.testing import eventually

pytestmark = pytest.mark.integration
OFFICE = {"latitude": -0.68, "longitude": 100.78}  # the e2e unit's coordinates


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


async def _context(browser: Browser, portal: Portal, viewport: dict[str, int]) -> BrowserContext:
    return await browser.new_context(
        base_url=portal.suite.gateway_url,
        viewport=viewport,  # type: ignore[arg-type]
        geolocation=OFFICE,
        permissions=["geolocation"],
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )


async def _sign_in(page: Page, nip: str, *roles: str, unit: str | None = None) -> None:
    await page.goto("/masuk")
    await page.get_by_label("NIP", exact=True).fill(nip)
    for role in roles:
        await page.get_by_role("checkbox", name=role).check()
    if unit:
        await page.get_by_label("Kode unit (untuk Admin OPD)").fill(unit)
    await page.locator("form").get_by_role("button", name="Masuk").click()
    await expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    # "Keluar" shows as soon as the token is in hand; the landing page follows once the portal
    # knows who the person is (whether anyone reports to them). Signed in means landed.
    await expect(page).not_to_have_url(re.compile(r"/masuk"))


async def _team(portal: Portal) -> tuple[str, str, str]:
    unit, boss, staff = new_unit_code(), new_nip(), new_nip(sex=2)
    await portal.unit(unit)
    await portal.employee(boss, unit)
    await portal.employee(staff, unit, boss)
    await portal.every_day_is_a_working_day(unit)
    for who in (staff, boss):
        await portal.profile(who, lambda p: True, "the team in the read model")
    await portal.until(
        "GET",
        f"/api/leave-balances/{staff}",
        lambda r: r.status_code == 200,
        "presensi knows the team",
        as_=(staff, "pegawai"),
    )
    return unit, boss, staff


async def test_check_in_request_leave_and_the_supervisor_approves_it(browser, portal):
    _, boss, staff = await _team(portal)
    context = await _context(browser, portal, PHONE)
    page = await context.new_page()

    await page.goto("/masuk")
    await expect(page.get_by_role("heading", name="Masuk ke Portal ASN")).to_be_visible()
    await check_accessibility(page, "masuk")
    await screenshot(page, "masuk-phone")

    # ASN: Beranda, check in with the phone's location. The unit's day starts at 00:00, so
    # any check-in is late: the answer names the TL category and the geofence.
    await _sign_in(page, staff)
    await expect(page.get_by_role("heading", name="Selamat datang")).to_be_visible()
    await check_accessibility(page, "beranda")
    await fits_the_width(page)  # the header: language, name and NIP, Keluar — at 360 px
    await page.get_by_role("button", name="Presensi Masuk").click()
    result = page.get_by_test_id("punch-result")
    await expect(result).to_contain_text("Terlambat")
    await expect(result).to_contain_text("(TL")
    await expect(result).to_contain_text("Di dalam area kantor")
    await expect(result).to_contain_text("WIB")
    await expect(page.get_by_role("button", name="Presensi Pulang")).to_be_visible()
    await screenshot(page, "beranda-phone")

    # Cuti: the estimate before sending, then the request in "my requests".
    day = (today_wib() + timedelta(days=7)).isoformat()
    await page.get_by_role("link", name="Cuti").click()
    await expect(page.get_by_role("heading", name="Cuti", exact=True)).to_be_visible()
    await page.get_by_role("radio", name="Cuti Tahunan").check()
    for field in ("Tanggal mulai", "Tanggal selesai"):
        await page.get_by_label(field).fill(day)
    await expect(page.get_by_test_id("estimate")).to_contain_text("hari")
    await page.get_by_label("Alasan (tidak dipublikasikan)").fill("Urusan keluarga")
    await page.get_by_role("button", name="Ajukan").click()
    await expect(page.get_by_role("alert").filter(has_text="Pengajuan terkirim")).to_be_visible()
    mine = page.get_by_test_id("my-request")
    await expect(mine).to_have_count(1)
    await expect(mine).to_contain_text("Cuti Tahunan")
    await expect(mine).to_contain_text("Menunggu atasan")
    await check_accessibility(page, "cuti")
    await screenshot(page, "cuti-phone")
    await page.get_by_role("button", name="Keluar").click()

    # Atasan: lands on the inbox (someone reports to them), sees the request, approves it.
    await _sign_in(page, boss)
    await expect(page.get_by_role("heading", name="Kotak Masuk")).to_be_visible()
    staff_name = f"Pegawai E2E {staff[-4:]}"
    item = page.get_by_test_id("inbox-item").filter(has_text=staff_name)

    async def in_inbox() -> bool:
        if await item.count():
            return True
        await page.reload()
        await page.get_by_role("heading", name="Kotak Masuk").wait_for()
        return False

    await eventually(in_inbox, what="the request in the supervisor's inbox")
    await check_accessibility(page, "kotak-masuk")
    await screenshot(page, "kotak-masuk-phone")
    await item.get_by_role("button", name="Setujui").click()
    await expect(page.get_by_role("alert").filter(has_text="disetujui")).to_be_visible()
    await expect(item).to_have_count(0)
    await context.close()

    approved = await portal.until(
        "GET",
        f"/api/leave-requests?nip={staff}",
        lambda r: r.status_code == 200 and r.json()["items"][0]["status"] == "disetujui",
        "the request approved in presensi",
        as_=(staff, "pegawai"),
    )
    assert approved.json()["items"][0]["start_date"] == day


async def test_opd_admin_sees_the_unit_dashboard_with_its_chart(browser, portal):
    unit, _, staff = await _team(portal)
    await portal.until(
        "POST",
        "/api/attendance/check-in",
        lambda r: r.status_code == 201,
        "a late check-in",
        body={},
        as_=(staff, "pegawai"),
    )
    board = await portal.until(
        "GET",
        f"/api/units/{unit}/dashboard",
        lambda r: r.status_code == 200 and r.json()["attendance_today"]["late"] == 1,
        "the check-in on the dashboard",
        as_=(new_nip(), "admin_opd"),
        unit=unit,
    )
    context = await _context(browser, portal, DESKTOP)
    page = await context.new_page()
    await _sign_in(page, new_nip(), "admin_opd", unit=unit)
    await expect(page.get_by_role("heading", name=f"Dasbor Unit: Dinas {unit}")).to_be_visible()
    await expect(page.get_by_role("img", name="Kehadiran hari ini")).to_be_visible()
    figures = page.locator("figure").filter(has_text="Kehadiran hari ini")
    await figures.get_by_text("Angka grafik").click()
    await expect(figures.get_by_role("row", name="Terlambat 1")).to_be_visible()
    # The unit's other person: not checked in on a working day, off on a weekend or holiday.
    off = board.json()["attendance_today"]["non_working_day"] is not None
    other = "Libur 1" if off else "Belum presensi 1"
    await expect(figures.get_by_role("row", name=other)).to_be_visible()
    await check_accessibility(page, "dasbor-unit")
    await screenshot(page, "dasbor-unit-desktop")
    await context.close()


# A 1×1 PNG: aspirasi re-encodes every photo, so any real image will do.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


async def _choose(page: Page, name: str) -> None:
    """naive-ui hides the native radio under its own drawing: a thumb taps the label."""
    radio = page.get_by_role("radio", name=name, exact=True)
    await page.locator("label").filter(has=radio).click()
    await expect(radio).to_be_checked()


async def test_a_citizen_sends_follows_reopens_and_confirms_a_complaint(browser, portal):
    # Three public POSTs (submit, reopen, confirm): the gateway allows ten per client per
    # ten minutes and test_aspirasi_flows uses five of them in the same suite.
    unit = new_unit_code()
    await portal.unit(unit)
    context = await _context(browser, portal, PHONE)
    page = await context.new_page()

    # No sign-in: the citizens' menu is there, and the form sends with a privacy choice.
    await page.goto("/aspirasi")
    await expect(page.get_by_role("heading", name="Sampaikan Aspirasi", exact=True)).to_be_visible()
    await _choose(page, "Pengaduan")
    await page.get_by_label("Judul").fill("Lampu jalan padam di Lubang Panjang")
    await page.get_by_label("Isi laporan").fill("Sudah dua minggu lampu jalan padam dan rawan.")
    await _choose(page, "Anonim (identitas disembunyikan)")
    await page.get_by_label("Nama Anda (tidak wajib)").fill("Rina Marlina")
    await page.get_by_label("Foto (tidak wajib", exact=False).set_input_files(
        files=[{"name": "lampu.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    await check_accessibility(page, "aspirasi")
    await page.get_by_role("button", name="Kirim Laporan").click()
    receipt = page.get_by_test_id("receipt")
    await expect(receipt).to_contain_text("hanya ditampilkan sekali")
    code = (await page.get_by_test_id("ticket-code").inner_text()).strip()
    secret = (await page.get_by_test_id("ticket-secret").inner_text()).strip()
    assert code and len(secret) >= 8
    await screenshot(page, "aspirasi-phone")

    # The coordinator routes it, the unit follows up and answers (staff, over the API).
    listed = await portal.until(
        "GET",
        "/api/submissions?status=received&limit=200",
        lambda r: r.status_code == 200 and any(s["code"] == code for s in r.json()["items"]),
        "the ticket in the coordinator's list",
        as_=COORDINATOR,
    )
    sub = next(s for s in listed.json()["items"] if s["code"] == code)
    assert sub["privacy"] == "anonim"
    await route(portal, sub, unit)
    await unit_step(portal, sub, unit, "follow-up", "Petugas PJU sudah kami kirim.")
    await unit_step(portal, sub, unit, "answer", "Lampu sudah diganti.")

    # The citizen follows the ticket with its code (carried in the link) and secret.
    await page.get_by_role("link", name="Lacak laporan ini").click()
    await expect(page.get_by_label("Nomor Laporan")).to_have_value(code)
    await page.get_by_label("Kode Rahasia").fill(secret)
    await page.get_by_role("button", name="Lihat Laporan").click()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("Dijawab")
    await expect(page.get_by_test_id("ticket-answer")).to_have_text("Lampu sudah diganti.")
    await check_accessibility(page, "lacak")
    await page.get_by_label("Alasan membuka kembali").fill("Masih padam di ujung jalan.")
    await page.get_by_role("button", name="Buka Kembali").click()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("Dibuka kembali")

    await unit_step(portal, sub, unit, "follow-up", "Kami periksa ujung jalan.")
    await unit_step(portal, sub, unit, "answer", "Dua lampu di ujung jalan diganti.")
    await page.get_by_role("button", name="Lihat Laporan").click()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("Dijawab")
    await _choose(page, "4")
    await page.get_by_role("button", name="Selesai, jawaban sesuai").click()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("Selesai")
    await expect(page.get_by_test_id("ticket")).to_contain_text("Nilai Anda: 4 dari 5")
    await screenshot(page, "lacak-phone")

    # The public board: the anonim ticket without its reporter, and the unit in the chart.
    await page.goto("/papan")  # at 360 px the menu folds its last items behind "…"
    item = page.get_by_test_id("board-item").filter(has_text=code)
    await expect(item).to_contain_text("Selesai")
    await expect(page.get_by_text("Rina Marlina")).to_have_count(0)
    figures = page.locator("figure").filter(has_text="Laporan selesai")
    await expect(figures.get_by_role("img", name="Laporan selesai")).to_be_visible()
    await figures.get_by_text("Angka grafik").click()
    await expect(figures.get_by_role("row", name=f"Dinas {unit} 1")).to_be_visible()
    await check_accessibility(page, "papan")
    await screenshot(page, "papan-phone")

    # Analysts find the event catalogue from any page; the gateway serves it, not the app.
    await page.get_by_role("link", name="Katalog data peristiwa untuk analis").click()
    await expect(page).to_have_url(f"{portal.suite.gateway_url}/events")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Event catalogue")
    await context.close()


async def test_an_asn_sees_jp_against_20_and_enrols_from_the_catalogue(browser, portal):
    _, _, staff = await _team(portal)
    title = f"Bimtek Portal {uuid.uuid4().hex[:6]}"
    await published_program(portal, title=title, jp=16)
    await portal.until(
        "GET",
        f"/api/jp/{staff}",
        lambda r: r.status_code == 200,
        "pelatihan knows the ASN",
        as_=(staff, "pegawai"),
    )
    context = await _context(browser, portal, DESKTOP)
    page = await context.new_page()
    await _sign_in(page, staff)
    await expect(page.get_by_test_id("jp")).to_have_text("JP tahun ini: 0 dari 20")
    await page.get_by_role("link", name="Pelatihan").first.click()
    await expect(page.get_by_role("heading", name="Pelatihan", exact=True)).to_be_visible()
    program = page.get_by_test_id("program-catalogue").filter(has_text=title)
    await expect(program).to_contain_text("16 JP")
    await check_accessibility(page, "pelatihan")
    await program.get_by_role("button", name=f"Daftar {title}").click()
    await expect(page.get_by_role("alert").filter(has_text="terkirim")).to_be_visible()
    await expect(program).to_contain_text("Menunggu atasan")
    mine = page.get_by_test_id("my-enrolment").filter(has_text=title)
    await expect(mine).to_contain_text("Menunggu atasan")
    await screenshot(page, "pelatihan-desktop")
    await context.close()

    listed = await portal.call("GET", f"/api/enrollments?nip={staff}", as_=(staff, "pegawai"))
    assert [e["status"] for e in listed.json()["items"]] == ["requested"]


async def test_an_asn_reads_the_portal_in_english_and_it_stays_so(browser, portal):
    unit, staff = new_unit_code(), new_nip(sex=2)
    await portal.unit(unit)
    # A name as long as real ones get, titles and all: the 360 px header still fits.
    await portal.employee(staff, unit, name="Dra. Hj. Yulia Rahmawati Syafrizal, S.Sos., M.Si.")
    await portal.profile(staff, lambda p: True, "the ASN in the read model")
    context = await _context(browser, portal, PHONE)
    page = await context.new_page()
    await page.goto("/masuk")
    # naive-ui's select is a labelled div (no combobox role): open it, pick the option.
    await page.locator("header .lang").click()
    await page.locator(".n-base-select-option").filter(has_text="English").click()
    await expect(page.get_by_role("heading", name="Sign in to the ASN Portal")).to_be_visible()
    assert await page.evaluate("document.documentElement.lang") == "en"
    await page.get_by_label("NIP", exact=True).fill(staff)
    await page.locator("form").get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Leave")
    # The rules keep their Indonesian names in English too (DOMAIN): Presensi Masuk, Sisa cuti.
    await expect(page.get_by_role("button", name="Presensi Masuk")).to_be_visible()
    await check_accessibility(page, "beranda-en")
    await fits_the_width(page)
    await screenshot(page, "beranda-en-phone")

    # The choice is the person's: it outlives a reload.
    await page.reload()
    await expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    await page.get_by_role("link", name="Leave").first.click()
    await expect(page.get_by_role("heading", name="Leave", exact=True)).to_be_visible()
    await check_accessibility(page, "cuti-en")
    await context.close()
