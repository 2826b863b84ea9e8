"""The portal in a real browser: Debian's chromium driven by Playwright (no browser download),
against the suite the e2e tests start; axe-core on every page; screenshots for people."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page

REPO = Path(__file__).resolve().parents[2]
PORTAL = REPO / "portal"
CHROMIUM = Path("/usr/bin/chromium")
AXE = PORTAL / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PORTAL / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def require_tools() -> None:
    """A missing tool is a failure that names its Debian package, never a silent skip."""
    for tool, package in (("node", "nodejs"), ("npm", "npm"), ("make", "make")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} not found: apt-get install {package}", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium", pytrace=False)


def build_portal() -> None:
    """`make portal`: node modules from the lock file, a build when the sources changed."""
    done = subprocess.run(
        ["make", "-s", "portal"], cwd=REPO, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"the portal did not build:\n{done.stdout}\n{done.stderr}", pytrace=False)


async def check_accessibility(page: Page, name: str) -> None:
    """axe-core on the page as it is now: no serious or critical violation."""
    await page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = await page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    bad = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: accessibility violations\n{json.dumps(bad, indent=1)}"


async def fits_the_width(page: Page) -> None:
    """Nothing pushes the page sideways: a phone never scrolls horizontally."""
    wider: list[list[Any]] = await page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll('header, header *, nav, main > *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .slice(0, 5)
                .map(e => [e.tagName, e.className, e.getBoundingClientRect().right]);
        }"""
    )
    page_width = await page.evaluate("document.documentElement.scrollWidth")
    viewport = await page.evaluate("document.documentElement.clientWidth")
    assert page_width <= viewport and not wider, f"wider than {viewport} px: {page_width}, {wider}"


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
