"""The event catalogue page in Debian's chromium: it passes axe-core, and the search box
narrows the list to the event types whose name matches. The committed page is opened as
a file, as the gateway serves it byte for byte (gateway/tests/unit/test_event_catalogue.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asn_schemas.asyncapi import CATALOGUE_DIR, PAGE_FILE
from asn_schemas.registry import EVENT_TYPES
from e2e_browser import CHROMIUM, DESKTOP, check_accessibility, require_tools, screenshot
from playwright.async_api import Page, async_playwright, expect

pytestmark = pytest.mark.integration


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    require_tools()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        context = await browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
        opened = await context.new_page()
        await opened.goto((CATALOGUE_DIR / PAGE_FILE).as_uri())
        yield opened
        await browser.close()


async def test_the_catalogue_is_accessible_and_searchable_by_event_name(page: Page) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text("Event catalogue")
    sections = page.locator("section[data-event]")
    await expect(sections).to_have_count(len(EVENT_TYPES))
    await check_accessibility(page, "event catalogue")

    await page.get_by_label("Search by event name").fill("promoted")
    await expect(page.locator("section[data-event]:visible")).to_have_count(1)
    await expect(page.locator("#pegawai\\.employee\\.promoted\\.v1")).to_be_visible()
    await expect(page.get_by_text("1 event type shown")).to_be_visible()
    await screenshot(page, "event-catalogue-search")

    await page.get_by_label("Search by event name").fill("presensi.leave")
    leave = sorted(t for t in EVENT_TYPES if t.startswith("presensi.leave."))
    await expect(page.locator("section[data-event]:visible")).to_have_count(len(leave))

    await page.get_by_label("Search by event name").fill("")
    await expect(page.locator("section[data-event]:visible")).to_have_count(len(EVENT_TYPES))
