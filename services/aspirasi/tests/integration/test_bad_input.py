"""Bad input and floods: a clear 4xx (or 429) with a code, and nothing changed."""

import base64
import io

import pytest
from aspirasi_testkit import Service
from PIL import Image
from sqlalchemy import text

pytestmark = pytest.mark.integration


async def _changes(city: Service) -> tuple[int, int]:
    return (
        int(await city.scalar("SELECT count(*) FROM outbox")),
        int(await city.scalar("SELECT count(*) FROM step")),
    )


async def test_refusals_change_nothing(city: Service):
    sub = await city.submit()
    code, sid = sub["code"], sub["id"]
    before = await _changes(city)
    cases = [
        (
            await city.public("GET", f"/public/submissions/{code}", secret="AAAA-BBBB-CCCC-DDDD"),
            404,
            "ticket_not_found",
        ),
        (
            await city.public("GET", "/public/submissions/SWL-2026-999999", secret=sub["secret"]),
            404,
            "ticket_not_found",
        ),
        (
            await city.public(
                "POST",
                f"/public/submissions/{code}/reopen",
                {"reason": "Ulang."},
                secret=sub["secret"],
            ),
            409,
            "submission_state_conflict",
        ),
        (
            await city.public(
                "POST", f"/public/submissions/{code}/rating", {"rating": 5}, secret=sub["secret"]
            ),
            409,
            "not_answered",
        ),
        (
            await city.staff("POST", f"/submissions/{sid}/route", {"unit_code": "tidak-ada"}),
            422,
            "unit_unknown",
        ),
        (
            await city.staff("POST", f"/submissions/{sid}/route", {"unit_code": "lama"}),
            422,
            "unit_unknown",
        ),
        (
            await city.staff("POST", f"/submissions/{sid}/verify", {"privacy": "publik"}),
            422,
            "privacy_loosened",
        ),
        (
            await city.public(
                "POST",
                "/public/submissions",
                {
                    "kind": "aspirasi",
                    "title": "Halo semua",
                    "text": "Isi yang cukup",
                    "website": "http://spam.example",
                },
            ),
            422,
            "honeypot_filled",
        ),
        (
            await city.public(
                "POST",
                "/public/submissions",
                {"kind": "tindak_lanjut_forum", "title": "Halo semua", "text": "Isi yang cukup"},
            ),
            422,
            "validation_error",
        ),
    ]
    for response, status, code_ in cases:
        assert (response.status_code, response.json()["code"]) == (status, code_), response.text
    assert await _changes(city) == before
    # An unknown code and a wrong secret answer alike: guessing reveals nothing.
    assert cases[0][0].json()["detail"] == cases[1][0].json()["detail"]


async def test_an_answer_before_a_follow_up_is_refused(city: Service):
    sub = await city.submit()
    await city.staff("POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"})
    early = await city.unit_admin("POST", f"/submissions/{sub['id']}/answer", {"text": "Beres."})
    assert early.status_code == 409
    assert early.json()["code"] == "submission_state_conflict"


def _png(size: tuple[int, int] = (8, 8)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


async def test_photos_are_checked_by_content(city: Service):
    before = await _changes(city)
    text_as_jpeg = base64.b64encode(b"<?php system($_GET['c']); ?>" * 10).decode()
    bad = await city.public(
        "POST",
        "/public/submissions",
        {
            "kind": "pengaduan",
            "title": "Jalan rusak",
            "text": "Lubang besar.",
            "photos": [text_as_jpeg],
        },
    )
    assert bad.status_code == 422 and bad.json()["code"] == "photo_not_image"
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    not_allowed = await city.public(
        "POST",
        "/public/submissions",
        {
            "kind": "pengaduan",
            "title": "Jalan rusak",
            "text": "Lubang besar.",
            "photos": [base64.b64encode(gif.getvalue()).decode()],
        },
    )
    assert not_allowed.json()["code"] == "photo_not_image"
    big = base64.b64encode(b"\x89PNG" + b"\x00" * (2 * 1024 * 1024 + 10)).decode()
    too_large = await city.public(
        "POST",
        "/public/submissions",
        {"kind": "pengaduan", "title": "Jalan rusak", "text": "Lubang besar.", "photos": [big]},
    )
    assert too_large.status_code == 413 and too_large.json()["code"] == "photo_too_large"
    four = await city.public(
        "POST",
        "/public/submissions",
        {
            "kind": "pengaduan",
            "title": "Jalan rusak",
            "text": "Lubang besar.",
            "photos": [_png()] * 4,
        },
    )
    assert four.status_code == 422
    assert await _changes(city) == before


async def test_a_photo_keeps_no_exif(city: Service):
    exif = Image.Exif()
    exif[0x010F] = "KameraWarga"  # Make
    exif[0x8825] = {1: "S", 2: (0.0, 40.0, 0.0), 3: "E", 4: (100.0, 46.0, 0.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, format="JPEG", exif=exif)
    assert b"KameraWarga" in out.getvalue()
    sub = await city.submit(photos=[base64.b64encode(out.getvalue()).decode(), _png()])
    async with city.db.read_session() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT content_type, data FROM photo "
                    "WHERE submission_id = :s ORDER BY position"
                ),
                {"s": sub["id"]},
            )
        ).all()
    assert [r[0] for r in rows] == ["image/jpeg", "image/png"]
    stored = bytes(rows[0][1])
    assert b"KameraWarga" not in stored and b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


async def test_a_flood_of_submissions_gets_429_with_retry_after(city: Service):
    body = {"kind": "aspirasi", "title": "Taman kota", "text": "Tambah bangku di taman."}
    statuses = [
        (await city.public("POST", "/public/submissions", body, client="192.0.2.50")).status_code
        for _ in range(6)
    ]
    assert statuses == [201] * 5 + [429]
    flooded = await city.public("POST", "/public/submissions", body, client="192.0.2.50")
    assert flooded.json()["code"] == "rate_limited"
    assert int(flooded.headers["Retry-After"]) >= 1
    other = await city.public("POST", "/public/submissions", body, client="192.0.2.51")
    assert other.status_code == 201  # per client


async def test_guessing_secrets_is_stopped(city: Service):
    sub = await city.submit()
    for _ in range(10):
        wrong = await city.public(
            "GET",
            f"/public/submissions/{sub['code']}",
            secret="0000-0000-0000-0000",
            client="192.0.2.99",
        )
        assert wrong.status_code == 404
    blocked = await city.public(
        "GET", f"/public/submissions/{sub['code']}", secret=sub["secret"], client="192.0.2.99"
    )
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers


async def test_a_month_outside_the_calendar_is_refused(city: Service):
    # Found by the fuzz on the whole suite (tests/drill/run_fuzz.py): the board's `month`
    # took any four digits for the year, and year 0 (or December 9999) overflowed the
    # month's bounds into a 500.
    for month in ("0000-01", "9999-12", "1999-12", "2101-01"):
        board = await city.public("GET", f"/public/board?month={month}")
        assert board.status_code == 422, (month, board.text)
        assert board.json()["code"] == "validation_error"
        signals = await city.staff("GET", f"/signals?month={month}")
        assert signals.status_code == 422, (month, signals.text)
    assert (await city.public("GET", "/public/board?month=2100-12")).status_code == 200
