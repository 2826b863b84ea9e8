"""The portal's performance pages in Debian's chromium, against the whole running suite: an
ASN draws up an SKP with its RHK and sends it; the supervisor returns it with a note from
Kotak Masuk, then agrees the corrected plan; an ASN self-assesses, the supervisor rates the
seven BerAKHLAK values and sees the predikat follow from the matrix before finalizing; the
supervisor's Tim page shows who is late today. Every page passes axe-core; screenshots land
in portal/screenshots/."""

from __future__ import annotations

import pytest
from e2e_browser import DESKTOP, PHONE, check_accessibility, screenshot
from e2e_kinerja import agreed_skp, annual_appraisal
from e2e_testkit import Portal, today_wib
from playwright.async_api import Locator, Page, expect
from servicekit.testing import eventually
from test_portal_browser import _context, _sign_in, _team, browser

pytestmark = pytest.mark.integration
__all__ = ["browser"]  # the session's chromium, shared with the other portal tests

VALUES = (
    "Berorientasi Pelayanan",
    "Akuntabel",
    "Kompeten",
    "Harmonis",
    "Loyal",
    "Adaptif",
    "Kolaboratif",
)


def _name(nip: str) -> str:
    return f"Pegawai E2E {nip[-4:]}"


async def _pick(scope: Locator, name: str) -> None:
    """naive-ui draws its radios over hidden native ones: a thumb taps the label."""
    # `has` is matched inside each label: rooted at the page, not at the scope again.
    inside = scope.page.get_by_role("radio", name=name, exact=True)
    await scope.locator("label").filter(has=inside).click()
    await expect(scope.get_by_role("radio", name=name, exact=True)).to_be_checked()


async def _sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Keluar").click()
    await expect(page.get_by_role("heading", name="Masuk ke Portal ASN")).to_be_visible()


async def _inbox_item(page: Page, kind: str, nip: str) -> Locator:
    """The supervisor's inbox item once the read model has it (reloading meanwhile)."""
    item = page.get_by_test_id(f"inbox-{kind}").filter(has_text=_name(nip))

    async def there() -> bool:
        if await item.count():
            return True
        await page.goto("/kotak-masuk")
        await page.get_by_role("heading", name="Kotak Masuk").wait_for()
        return False

    await eventually(there, what=f"the {kind} of {nip} in the supervisor's inbox")
    return item


async def test_an_asn_plans_an_skp_the_supervisor_returns_it_then_agrees(browser, portal):
    _, boss, staff = await _team(portal)
    year = today_wib().year
    # Last year, agreed and rated (hasil di atas, perilaku sesuai: Baik), over the API:
    # the predikat history the page shows.
    last = await agreed_skp(portal, staff, boss, year - 1)
    await annual_appraisal(portal, last, boss, "di_atas_ekspektasi")
    await portal.profile(
        staff,
        lambda p: [a["year"] for a in p["kinerja"]["annual_predikat"]] == [year - 1],
        "last year's predikat on the profile",
    )
    context = await _context(browser, portal, PHONE)
    page = await context.new_page()

    # Beranda's SKP line leads to the SKP page, with last year's predikat in the history.
    await _sign_in(page, staff)
    line = page.get_by_test_id("skp-status")
    await expect(line).to_have_text(f"SKP {year - 1}: Disetujui")
    await line.click()
    await expect(page.get_by_role("heading", name="Sasaran Kinerja Pegawai (SKP)")).to_be_visible()
    row = page.get_by_test_id("predikat-history").get_by_role("row", name=str(year - 1))
    await expect(row).to_contain_text("Baik")
    await expect(row).to_contain_text("Hasil kerja: Di Atas Ekspektasi")

    # A new plan: the form says what is missing before sending anything.
    await page.get_by_role("button", name="Susun SKP").click()
    form = page.get_by_test_id("skp-form")
    await expect(form.get_by_label("Tahun")).to_have_value(str(year))
    await form.get_by_role("button", name="Simpan Draf").click()
    await expect(form.get_by_role("alert")).to_contain_text("Lengkapi judul setiap RHK")
    await form.get_by_label("Rencana Hasil Kerja (RHK) 1").fill("Layanan kenaikan pangkat")
    await form.get_by_label("Jenis RHK 1").select_option("utama")
    await form.get_by_label("Indikator 1 RHK 1", exact=True).fill("Berkas usulan selesai")
    await form.get_by_label("Target indikator 1 RHK 1").fill("120 berkas")
    await check_accessibility(page, "skp-form")
    await screenshot(page, "skp-form-phone")
    await form.get_by_role("button", name="Simpan Draf").click()
    await expect(
        page.get_by_role("alert").filter(has_text=f"Draf SKP {year} tersimpan")
    ).to_be_visible()
    mine = page.get_by_test_id("my-skp").filter(has_text=f"SKP {year}")
    await expect(mine.get_by_test_id("skp-state")).to_have_text("Draf")
    await expect(mine).to_contain_text("Kuantitas: Berkas usulan selesai — 120 berkas")
    await mine.get_by_role("button", name="Ajukan ke Atasan").click()
    await expect(mine.get_by_test_id("skp-state")).to_have_text("Menunggu persetujuan atasan")
    await check_accessibility(page, "skp")
    await screenshot(page, "skp-phone")
    await _sign_out(page)

    # The supervisor reads the plan and sends it back: a note is required.
    await _sign_in(page, boss)
    item = await _inbox_item(page, "skp", staff)
    await item.get_by_role("button", name="Lihat rencana").click()
    await expect(item.get_by_test_id("rhk-list")).to_contain_text("Layanan kenaikan pangkat")
    await expect(item.get_by_test_id("rhk-list")).to_contain_text("120 berkas")
    await item.get_by_role("button", name="Kembalikan").click()
    await expect(item.get_by_role("alert")).to_contain_text("Tulis catatan")
    await item.get_by_label("Catatan (wajib untuk mengembalikan)").fill(
        "Tambahkan indikator kualitas."
    )
    await expect(item.get_by_role("alert")).to_have_count(0)
    await check_accessibility(page, "kotak-masuk-skp")
    await screenshot(page, "kotak-masuk-skp-phone")
    await item.get_by_role("button", name="Kembalikan").click()
    await expect(page.get_by_role("alert").filter(has_text="dikembalikan")).to_be_visible()
    await expect(item).to_have_count(0)
    await _sign_out(page)

    # The ASN sees the note, adds a quality indicator and sends it again.
    await _sign_in(page, staff)
    await page.goto("/skp")
    await expect(mine.get_by_test_id("skp-state")).to_have_text("Dikembalikan")
    await expect(mine.get_by_test_id("return-note")).to_have_text(
        "Catatan atasan: Tambahkan indikator kualitas."
    )
    await mine.get_by_role("button", name=f"Ubah SKP {year}").click()
    form = page.get_by_test_id("skp-form")
    await form.get_by_role("button", name="Tambah indikator").click()
    await form.get_by_label("Aspek indikator 2 RHK 1").select_option("kualitas")
    await form.get_by_label("Indikator 2 RHK 1", exact=True).fill("Berkas tanpa revisi")
    await form.get_by_label("Target indikator 2 RHK 1").fill("95%")
    await form.get_by_role("button", name="Simpan Draf").click()
    await expect(mine).to_contain_text("Kualitas: Berkas tanpa revisi — 95%")
    await mine.get_by_role("button", name="Ajukan ke Atasan").click()
    await expect(mine.get_by_test_id("skp-state")).to_have_text("Menunggu persetujuan atasan")
    await _sign_out(page)

    # The supervisor agrees it.
    await _sign_in(page, boss)
    item = await _inbox_item(page, "skp", staff)
    await item.get_by_role("button", name="Setujui").click()
    await expect(page.get_by_role("alert").filter(has_text="disetujui")).to_be_visible()
    await expect(item).to_have_count(0)
    await context.close()

    agreed = await portal.until(
        "GET",
        f"/api/skp?nip={staff}&year={year}",
        lambda r: r.status_code == 200 and r.json()["items"][0]["status"] == "approved",
        "the SKP agreed in kinerja",
        as_=(staff, "pegawai"),
    )
    [rhk] = agreed.json()["items"][0]["rhk"]
    assert [(i["aspect"], i["target"]) for i in rhk["indicators"]] == [
        ("kuantitas", "120 berkas"),
        ("kualitas", "95%"),
    ]


async def test_the_supervisor_rates_an_appraisal_and_sees_the_predikat_first(browser, portal):
    unit, boss, staff = await _team(portal)
    year = today_wib().year
    await agreed_skp(portal, staff, boss, year)
    # The unit's organisation predikat is "baik": at most 70% of its staff may be Baik, so
    # the lone Baik below comes with kinerja's distribution warning (never a refusal).
    await portal.until(
        "PUT",
        f"/api/units/{unit}/organisation-predikat/{year}",
        lambda r: r.status_code in (200, 201),
        "kinerja knows the unit",
        body={"predikat": "baik"},
    )
    context = await _context(browser, portal, DESKTOP)
    page = await context.new_page()

    # The ASN opens the annual appraisal on the agreed SKP and sends a self-assessment.
    await _sign_in(page, staff)
    await page.goto("/skp")
    mine = page.get_by_test_id("my-skp").filter(has_text=f"SKP {year}")
    await expect(mine.get_by_test_id("skp-state")).to_have_text("Disetujui")
    await mine.get_by_label("Periode penilaian").select_option(label=f"Tahunan {year}")
    await mine.get_by_role("button", name="Buka Penilaian").click()
    assessment = mine.get_by_test_id("self-assessment")
    await assessment.get_by_label("Realisasi: Layanan administrasi kepegawaian").fill(
        "214 berkas selesai"
    )
    await assessment.get_by_label("Tautan bukti (tidak wajib)", exact=False).fill(
        "https://drive.sawahlunto.go.id/bukti/skp"
    )
    await check_accessibility(page, "skp-penilaian-mandiri")
    await assessment.get_by_role("button", name="Ajukan ke Atasan").click()
    await expect(page.get_by_role("alert").filter(has_text="untuk dinilai")).to_be_visible()
    await expect(mine.get_by_test_id("my-appraisal")).to_contain_text("Menunggu penilaian atasan")
    await _sign_out(page)

    # The supervisor rates: the predikat shows as the matrix gives it, before sending.
    await _sign_in(page, boss)
    item = await _inbox_item(page, "appraisal", staff)
    await item.get_by_role("button", name="Nilai").click()
    form = item.get_by_test_id("rating-form")
    await expect(form).to_contain_text("214 berkas selesai")
    preview = form.get_by_test_id("predikat-preview")
    await expect(preview).to_contain_text("Predikat tampil setelah")
    await _pick(form.get_by_role("group", name="Hasil kerja (keseluruhan)"), "Di Atas Ekspektasi")
    for value in VALUES:
        scope = form.locator("div.value").filter(has_text=value)
        await _pick(scope, "Di Atas Ekspektasi")
        await scope.get_by_label(f"Catatan {value}").fill(f"{value}: konsisten sepanjang tahun.")
    await expect(preview).to_contain_text("Predikat menurut matriks: Sangat Baik")
    # One value below expectation: perilaku is no longer "di atas", and the predikat follows.
    await _pick(form.locator("div.value").filter(has_text="Akuntabel"), "Di Bawah Ekspektasi")
    await expect(preview).to_contain_text("Perilaku kerja (dari ketujuh nilai): Sesuai Ekspektasi")
    await expect(preview).to_contain_text("Predikat menurut matriks: Baik")
    chosen = form.get_by_test_id("predikat-matrix").locator("td[aria-current='true']")
    await expect(chosen).to_have_text("Baik (pilihan Anda)")
    await check_accessibility(page, "kotak-masuk-penilaian")
    await screenshot(page, "kotak-masuk-penilaian-desktop")
    await form.get_by_role("button", name="Finalkan Penilaian").click()
    result = page.get_by_role("alert").filter(has_text="final: Baik")
    await expect(result).to_contain_text("Catatan distribusi predikat unit")
    await expect(result).to_contain_text("membolehkan paling banyak 70%")
    await expect(item).to_have_count(0)
    await _sign_out(page)

    # The ASN finds the year's predikat in the history.
    await _sign_in(page, staff)
    await page.goto("/skp")
    row = page.get_by_test_id("predikat-history").get_by_role("row", name=str(year))
    await expect(row).to_contain_text("Baik")
    await expect(row).to_contain_text("Sesuai Ekspektasi")
    await screenshot(page, "skp-desktop")
    await context.close()


async def test_the_supervisor_sees_who_is_late_today_on_tim(browser, portal: Portal):
    _, boss, staff = await _team(portal)
    # The unit's day starts at 00:00: any check-in is late (TL).
    await portal.until(
        "POST",
        "/api/attendance/check-in",
        lambda r: r.status_code == 201,
        "a late check-in",
        body={},
        as_=(staff, "pegawai"),
    )
    team = await portal.until(
        "GET",
        f"/api/teams/{boss}",
        lambda r: (
            r.status_code == 200
            and [m["today"]["status"] for m in r.json()["members"]] == ["terlambat"]
        ),
        "the check-in on the supervisor's team",
        as_=(boss, "pegawai"),
    )
    category = team.json()["members"][0]["today"]["late_category"]
    assert category.startswith("TL")

    context = await _context(browser, portal, PHONE)
    page = await context.new_page()
    await _sign_in(page, boss)
    await page.goto("/tim")
    await expect(page.get_by_role("heading", name="Tim Saya")).to_be_visible()
    member = page.get_by_test_id("team-member").filter(has_text=_name(staff))
    await expect(member.get_by_test_id("team-today")).to_contain_text(f"Terlambat {category}")
    await expect(member).to_contain_text("WIB")
    await expect(member.get_by_test_id("team-month")).to_contain_text("Hari berjalan: 1")
    await check_accessibility(page, "tim")
    await screenshot(page, "tim-phone")
    await page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    await screenshot(page, "tim-desktop")
    await context.close()

    # Nobody else's team: the staff member sees no one's through the API either.
    refused = await portal.call("GET", f"/api/teams/{boss}", as_=(staff, "pegawai"))
    assert refused.status_code == 403
