"""Transports of the progress notices: `LogTransport` (the default: records that a notice
was due, with no address and no words) and `SmtpTransport` (the stdlib's smtplib, in a
thread, configured by ASN_SMTP_*). A phone contact has no transport here: no SMS gateway
is configured, so its notices end as undeliverable rather than being retried for ever."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from typing import Protocol

from servicekit.logging import get_logger

from aspirasi.notices import Message
from aspirasi.settings import AspirasiSettings

log = get_logger(__name__)


class Undeliverable(Exception):
    """This notice can never reach its contact (refused address, no channel): no retry."""


def is_email(contact: str) -> bool:
    return "@" in contact


class Transport(Protocol):
    async def send(self, to: str, message: Message, *, notice_id: int) -> None:
        """Deliver or raise: `Undeliverable` for a permanent refusal, anything else to retry."""


class LogTransport:
    async def send(self, to: str, message: Message, *, notice_id: int) -> None:
        # UU PDP: the log names the notice only, never the contact or the ticket's words.
        log.info("progress notice (log transport)", notice_id=notice_id)


class SmtpTransport:
    def __init__(self, settings: AspirasiSettings) -> None:
        self._settings = settings

    async def send(self, to: str, message: Message, *, notice_id: int) -> None:
        if not is_email(to):
            raise Undeliverable("no SMS gateway for a phone contact")
        mail = EmailMessage()
        mail["From"] = self._settings.smtp_sender
        mail["To"] = to
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        await asyncio.to_thread(self._send, mail)

    def _send(self, mail: EmailMessage) -> None:
        s = self._settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username and s.smtp_password:
                smtp.login(s.smtp_username, s.smtp_password.get_secret_value())
            try:
                smtp.send_message(mail)
            except smtplib.SMTPRecipientsRefused as exc:
                # 5xx is final (no such mailbox); 4xx (mailbox busy, greylisting) is retried.
                if all(code >= 500 for code, _ in exc.recipients.values()):
                    raise Undeliverable("recipient refused") from exc
                raise


def transport_for(settings: AspirasiSettings) -> Transport:
    return SmtpTransport(settings) if settings.notify_transport == "smtp" else LogTransport()
