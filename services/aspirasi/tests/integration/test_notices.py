"""Progress notices to the citizen's contact (issue 12): queued in the step's own
transaction, mailed over real SMTP to an in-process aiosmtpd server, retried when the server
is away, dropped once the contact is erased, and never carrying the ticket's words."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from aspirasi import sender
from aspirasi.mail import LogTransport, transport_for
from aspirasi_testkit import Clock, Service, aspirasi_settings, running
from servicekit.testing import eventually
from sqlalchemy import text

pytestmark = pytest.mark.integration

EMAIL = "warga.talawi@example.org"
TITLE = "Antrean puskesmas terlalu lama"


class Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), mail))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[Inbox]:
    with SmtpServer(smtp_port) as inbox:
        yield inbox


async def _city(new_database, new_topic, kafka_bootstrap, dev_keys, token_for, port, **extra):
    settings = await aspirasi_settings(
        new_database,
        new_topic,
        kafka_bootstrap,
        dev_keys,
        notify_transport="smtp",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        notify_backoff_s=60.0,
        notify_max_attempts=3,
        **extra,
    )
    async for svc in running(settings, token_for, Clock()):
        await svc.add_unit("dinkes")
        yield svc


@pytest.fixture
async def mailing_city(
    new_database, new_topic, kafka_bootstrap, dev_keys, token_for, smtp_port
) -> AsyncIterator[Service]:
    """The sender loop on, mailing to the in-process SMTP server."""
    async for svc in _city(
        new_database,
        new_topic,
        kafka_bootstrap,
        dev_keys,
        token_for,
        smtp_port,
        notify_enabled=True,
        notify_interval_s=0.1,
    ):
        yield svc


@pytest.fixture
async def quiet_city(
    new_database, new_topic, kafka_bootstrap, dev_keys, token_for, smtp_port
) -> AsyncIterator[Service]:
    """The sender loop off: the test sends at the instants it chooses."""
    async for svc in _city(
        new_database, new_topic, kafka_bootstrap, dev_keys, token_for, smtp_port
    ):
        yield svc


async def send(city: Service, after: timedelta = timedelta(0)) -> int:
    policy = sender.Policy.from_settings(city.settings)
    transport = transport_for(city.settings)
    return await sender.send_due(city.runtime, transport, city.clock() + after, policy)


async def states(city: Service) -> list[tuple[str, str, int]]:
    async with city.db.read_session() as session:
        rows = await session.execute(
            text("SELECT action, state, attempts FROM notification ORDER BY id")
        )
        return [(a, s, n) for a, s, n in rows.all()]


async def test_each_step_the_citizen_waits_for_is_mailed(mailing_city: Service, smtp: Inbox):
    sub = await mailing_city.submit(contact={"email": EMAIL})
    await mailing_city.answered(sub)  # route, follow-up, answer

    async def three() -> bool:
        return len(smtp.messages) == 3

    await eventually(three, what="three notices over SMTP")
    assert [rcpt for rcpt, _ in smtp.messages] == [[EMAIL]] * 3
    subjects = [m["Subject"] for _, m in smtp.messages]
    assert all(sub["code"] in s for s in subjects)
    assert "diteruskan" in subjects[0] and "dijawab" in subjects[2]
    for _, mail in smtp.messages:
        body = mail.get_content()
        # The notice names the code, not the ticket's words nor the unit's answer.
        assert sub["code"] in body and TITLE not in body and "Jadwal dokter" not in body
    assert await states(mailing_city) == [
        ("route", "sent", 1),
        ("follow_up", "sent", 1),
        ("answer", "sent", 1),
    ]


async def test_no_contact_no_notice_and_own_steps_are_not_noticed(quiet_city: Service):
    await quiet_city.answered(await quiet_city.submit())
    assert await states(quiet_city) == []
    sub = await quiet_city.submit(contact={"email": EMAIL})
    await quiet_city.answered(sub)
    confirmed = await quiet_city.public(
        "POST", f"/public/submissions/{sub['code']}/confirm", {}, secret=sub["secret"]
    )
    assert confirmed.status_code == 200, confirmed.text
    assert [a for a, _, _ in await states(quiet_city)] == ["route", "follow_up", "answer"]


async def test_a_refused_step_queues_no_notice(quiet_city: Service):
    sub = await quiet_city.submit(contact={"email": EMAIL})
    refused = await quiet_city.unit_admin(
        "POST", f"/submissions/{sub['id']}/answer", {"text": "Belum didisposisikan."}
    )
    assert refused.status_code in (403, 409)
    assert await states(quiet_city) == []


async def test_an_absent_server_is_retried_with_a_growing_wait(quiet_city: Service, smtp_port: int):
    sub = await quiet_city.submit(contact={"email": EMAIL})
    routed = await quiet_city.staff(
        "POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"}
    )
    assert routed.status_code == 200, routed.text

    assert await send(quiet_city) == 1  # nothing listens on the port yet
    assert await states(quiet_city) == [("route", "pending", 1)]
    assert await send(quiet_city, timedelta(seconds=59)) == 0  # waits 60 s
    assert await send(quiet_city, timedelta(seconds=60)) == 1
    assert await states(quiet_city) == [("route", "pending", 2)]
    assert await send(quiet_city, timedelta(seconds=179)) == 0  # then 120 s more

    with SmtpServer(smtp_port) as inbox:
        assert await send(quiet_city, timedelta(seconds=180)) == 1
    assert [rcpt for rcpt, _ in inbox.messages] == [[EMAIL]]
    assert await states(quiet_city) == [("route", "sent", 3)]


async def test_tries_used_up_end_as_failed(quiet_city: Service):
    sub = await quiet_city.submit(contact={"email": EMAIL})
    await quiet_city.staff("POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"})
    for after in (0, 60, 180):
        assert await send(quiet_city, timedelta(seconds=after)) == 1
    assert await states(quiet_city) == [("route", "failed", 3)]
    assert await send(quiet_city, timedelta(days=1)) == 0


async def test_a_phone_contact_is_undeliverable_by_mail(quiet_city: Service, smtp: Inbox):
    sub = await quiet_city.submit(contact={"phone": "+62 812 1234 5678"})
    await quiet_city.staff("POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"})
    assert await send(quiet_city) == 1
    assert await states(quiet_city) == [("route", "undeliverable", 0)]
    assert smtp.messages == []


async def test_an_erased_contact_drops_its_notices(quiet_city: Service, smtp: Inbox):
    sub = await quiet_city.submit(contact={"email": EMAIL})
    await quiet_city.answered(sub)
    # The sender was away for over a year after the auto-close; the sweep erased the contact.
    quiet_city.clock.set(2026, 11, 20)
    assert (await quiet_city.sweep()).closed == 1
    quiet_city.clock.now += timedelta(days=366)
    await quiet_city.sweep()
    assert await quiet_city.scalar("SELECT contact FROM submission") is None

    assert await send(quiet_city) == 4
    assert [s for _, s, _ in await states(quiet_city)] == ["dropped"] * 4
    assert smtp.messages == []


async def test_the_log_transport_logs_no_personal_data(
    quiet_city: Service, caplog: pytest.LogCaptureFixture
):
    sub = await quiet_city.submit(contact={"email": EMAIL})
    await quiet_city.staff("POST", f"/submissions/{sub['id']}/route", {"unit_code": "dinkes"})
    caplog.clear()
    policy = sender.Policy.from_settings(quiet_city.settings)
    assert (
        await sender.send_due(quiet_city.runtime, LogTransport(), quiet_city.clock(), policy) == 1
    )
    logged = caplog.text
    assert "progress notice (log transport)" in logged
    assert EMAIL not in logged and TITLE not in logged and sub["code"] not in logged
    assert await states(quiet_city) == [("route", "sent", 1)]
