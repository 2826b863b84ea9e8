"""Sign-in with a real OpenID provider in Debian's chromium: "Masuk dengan akun Pemkot", the
provider's own login page, back in the portal signed in, and the token working through the
gateway on a service; a session that runs out; sign-out at the provider.

The provider is panva's oidc-provider (portal/scripts/test-idp.mjs) with a key of its own:
every process of this file's suite verifies tokens only against its JWKS, with its issuer and
the NIP in a `nip` claim. That configuration differs from the session's suite, so this file
starts its own: pegawai (with the demo data), the gateway and its projector.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from devstack import free_port
from devstack.services import ServiceSpec
from e2e_browser import CHROMIUM, DESKTOP, PORTAL, build_portal, check_accessibility, require_tools
from e2e_testkit import Suite
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright, expect
from servicekit.testing import eventually

# The first test carries this file's own suite start with the demo data (~2 min here).
pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
IDP_SCRIPT = PORTAL / "scripts" / "test-idp.mjs"
LOGIN = "pemkot.admin"  # the person's account name at the IdP (not their NIP)


@dataclass
class IdpSuite(Suite):
    """The suite as a deployment runs it: tokens from the city's IdP, verified by its JWKS."""

    issuer: str = ""

    def _env(self, spec: ServiceSpec) -> Mapping[str, str]:
        env = dict(super()._env(spec))
        env.update(
            {
                "ASN_JWT_ISSUER": self.issuer,
                "ASN_JWT_JWKS_URL": f"{self.issuer}/jwks",  # devstack then drops the dev key
                "ASN_JWT_ALGORITHMS": '["RS256"]',
                "ASN_JWT_NIP_CLAIM": "nip",
            }
        )
        if spec.name == "gateway":
            env["ASN_OIDC_ENABLED"] = "true"  # beside the dev people: the gateway is in dev
        return env


@pytest.fixture(scope="module")
def idp_port() -> int:
    return free_port(set())


@pytest.fixture(scope="module")
def idp_suite(stack: Any, tmp_path_factory: Any, idp_port: int) -> Iterator[IdpSuite]:
    running = IdpSuite(
        stack,
        tmp_path_factory.mktemp("e2e-oidc-suite"),
        services=("pegawai", "gateway", "projector"),
        seed=True,
        issuer=f"http://127.0.0.1:{idp_port}",
    )
    try:
        running.start()
        yield running
    except Exception:
        if running.processes is not None:
            print(running.logs())
        raise
    finally:
        running.stop()


@pytest.fixture(scope="module")
async def demo_admin(idp_suite: IdpSuite) -> dict[str, Any]:
    """An OPD admin from the demo data, once the read model has them."""
    last: list[httpx.Response] = []

    async def listed() -> bool:
        async with httpx.AsyncClient(base_url=idp_suite.gateway_url, timeout=30) as client:
            last[:] = [await client.get("/auth/dev-people", params={"per_kind": 1})]
        return last[0].status_code == 200 and bool(last[0].json()["admin_opd"])

    try:
        await eventually(listed, what="the demo's OPD admins in the read model")
    except AssertionError:
        print(idp_suite.logs())
        raise AssertionError(f"last answer: {last[0].text[:500] if last else None}") from None
    person: dict[str, Any] = last[0].json()["admin_opd"][0]
    return person


@pytest.fixture(scope="module")
def idp_process(
    idp_suite: IdpSuite, idp_port: int, demo_admin: dict[str, Any]
) -> Iterator[subprocess.Popen[bytes]]:
    """The provider, with one person: the demo's OPD admin, their NIP, roles and unit."""
    account = {
        "nip": demo_admin["nip"],
        "name": demo_admin["name"],
        "roles": demo_admin["roles"],
        "unit_id": demo_admin["unit"],
    }
    env = {
        **os.environ,
        "IDP_PORT": str(idp_port),
        "IDP_PORTAL": idp_suite.gateway_url,
        "IDP_ACCOUNTS": json.dumps({LOGIN: account}),
    }
    with (idp_suite.state_dir / "idp.log").open("w") as out:
        process = subprocess.Popen(
            ["node", str(IDP_SCRIPT)], cwd=PORTAL, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
async def idp(idp_suite: IdpSuite, idp_process: subprocess.Popen[bytes]) -> str:
    """The provider's issuer, once it answers its discovery document."""
    issuer = idp_suite.issuer

    async def answers() -> bool:
        if idp_process.poll() is not None:
            log = (idp_suite.state_dir / "idp.log").read_text()
            raise AssertionError(f"the test IdP exited:\n{log}")
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                found = await client.get(f"{issuer}/.well-known/openid-configuration")
            return found.status_code == 200
        except httpx.HTTPError:
            return False

    await eventually(answers, what="the test IdP answers")
    return issuer


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    require_tools()
    build_portal()
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


async def _loopback_only(route: Route) -> None:
    # The provider's own pages @import a web font: nothing leaves this machine.
    if urlparse(route.request.url).hostname == "127.0.0.1":
        await route.continue_()
    else:
        await route.abort()


async def _context(browser: Browser, suite: IdpSuite) -> BrowserContext:
    context = await browser.new_context(
        base_url=suite.gateway_url,
        viewport=DESKTOP,  # type: ignore[arg-type]
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    await context.route("**/*", _loopback_only)
    return context


async def _stored_session(page: Page) -> dict[str, Any] | None:
    raw = await page.evaluate("() => sessionStorage.getItem('asn.session')")
    return json.loads(raw) if raw else None


async def _sign_in_at_idp(page: Page, idp: str) -> None:
    """From /masuk: the provider's login page (any password), its consent, back signed in."""
    await page.get_by_role("button", name="Masuk dengan akun Pemkot").click()
    await page.wait_for_url(f"{idp}/interaction/**")
    await page.locator("input[name=login]").fill(LOGIN)
    await page.locator("input[name=password]").fill("rahasia")
    await page.get_by_role("button", name="Sign-in").click()
    await page.get_by_role("button", name="Continue").click()
    await page.wait_for_url("**/dasbor-unit")


def _claims(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


async def test_sign_in_with_the_city_idp_and_call_a_service(
    browser: Browser, idp_suite: IdpSuite, idp: str, demo_admin: dict[str, Any]
) -> None:
    context = await _context(browser, idp_suite)
    page = await context.new_page()

    # /masuk offers the IdP; the gateway runs in dev, so the demo people stay listed too.
    await page.goto("/masuk")
    with_idp = page.get_by_role("button", name="Masuk dengan akun Pemkot")
    await expect(with_idp).to_be_visible()
    await expect(page.get_by_role("heading", name="Admin OPD")).to_be_visible()
    await check_accessibility(page, "masuk-oidc")

    # The provider's own login page (any password) and consent page; back in the portal
    # through /masuk/callback, signed in as the demo's OPD admin: their name comes from the
    # read model, their home is the unit dashboard (role and unit from the token).
    await _sign_in_at_idp(page, idp)
    await expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    await expect(page.locator(".who-name")).to_contain_text(demo_admin["name"])
    await expect(page.get_by_role("heading", name="Dasbor Unit")).to_be_visible()

    stored = await _stored_session(page)
    assert stored is not None and stored["via"] == "oidc"
    assert stored["nip"] == demo_admin["nip"] and stored["unit"] == demo_admin["unit"]
    claims = _claims(stored["token"])
    assert claims["iss"] == idp and claims["sub"] == LOGIN  # the IdP's token, not a dev one
    assert claims["nip"] == demo_admin["nip"] and claims["aud"] == "asn-suite"

    # The token works through the gateway on pegawai, which verified it with the IdP's JWKS.
    async with httpx.AsyncClient(base_url=idp_suite.gateway_url, timeout=30) as client:
        bearer = {"Authorization": f"Bearer {stored['token']}"}
        employee = await client.get(f"/api/employees/{demo_admin['nip']}", headers=bearer)
        assert employee.status_code == 200, employee.text
        assert employee.json()["nip"] == demo_admin["nip"]
        forged = stored["token"][:-4] + ("AAAA" if not stored["token"].endswith("AAAA") else "BBBB")
        refused = await client.get(
            f"/api/employees/{demo_admin['nip']}", headers={"Authorization": f"Bearer {forged}"}
        )
        assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
    await context.close()


async def test_a_session_that_runs_out_goes_back_to_masuk_with_a_note(
    browser: Browser, idp_suite: IdpSuite, idp: str
) -> None:
    context = await _context(browser, idp_suite)
    page = await context.new_page()
    await page.goto("/masuk")
    await _sign_in_at_idp(page, idp)

    # The token's time is up (as the provider's expires_in said it would be).
    await page.evaluate(
        """() => {
            const s = JSON.parse(sessionStorage.getItem('asn.session'));
            const ended = {...s, expiresAt: Date.now() - 1};
            sessionStorage.setItem('asn.session', JSON.stringify(ended));
        }"""
    )
    await page.reload()
    await page.wait_for_url("**/masuk?sesi=berakhir")
    await expect(
        page.get_by_role("alert").filter(has_text="Sesi Anda telah berakhir")
    ).to_be_visible()
    await expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    assert await _stored_session(page) is None
    await context.close()


async def test_sign_out_ends_the_session_at_the_idp_too(
    browser: Browser, idp_suite: IdpSuite, idp: str
) -> None:
    context = await _context(browser, idp_suite)
    page = await context.new_page()
    await page.goto("/masuk")
    await _sign_in_at_idp(page, idp)

    # Keluar: to the provider's logout (end_session_endpoint), confirmed there, back to /masuk.
    await page.get_by_role("button", name="Keluar").click()
    await page.wait_for_url(f"{idp}/session/end**")
    await page.get_by_role("button", name="Yes, sign me out").click()
    await page.wait_for_url("**/masuk")
    await expect(page.get_by_role("button", name="Masuk dengan akun Pemkot")).to_be_visible()
    assert await _stored_session(page) is None

    # The provider's session is over: signing in again asks for the login once more.
    await page.get_by_role("button", name="Masuk dengan akun Pemkot").click()
    await expect(page.locator("input[name=login]")).to_be_visible()
    await context.close()
