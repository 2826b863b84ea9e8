"""Progress notices to the citizen's optional contact: which steps the citizen hears of, and
the words of each. The words name the ticket code and the step only — never the ticket's
title or text, the unit's answer or the contact — so a notice read by someone else tells
nothing beyond the code; the citizen reads the rest with the code and secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from servicekit.uow import UnitOfWork

from aspirasi.domain.workflow import Action
from aspirasi.models import Notification, Submission

# The steps a citizen waits for. Their own confirm/reopen they know of; verification alone
# changes nothing for them; a return is internal; spam is not answered.
NOTIFIED: dict[Action, str] = {
    Action.ROUTE: "diteruskan ke unit yang menangani",
    Action.HOLD: "ditunda sementara oleh koordinator",
    Action.REFER: "dinyatakan bukan wewenang Pemerintah Kota Sawahlunto (lihat rujukannya)",
    Action.FOLLOW_UP: "ditindaklanjuti oleh unit",
    Action.ANSWER: "telah dijawab oleh unit",
    Action.AUTO_CLOSE: "ditutup karena tidak ada tanggapan 10 hari kerja setelah jawaban",
}


def owe(uow: UnitOfWork, sub: Submission, action: Action, now: datetime) -> None:
    """Queue the notice of this step in the step's unit of work, if the citizen left a
    contact and hears of this step."""
    if sub.contact is None or action not in NOTIFIED:
        return
    uow.session.add(
        Notification(
            submission_id=sub.id,
            action=action.value,
            status=sub.status,
            created_at=now,
            next_attempt_at=now,
        )
    )


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def message(code: str, action: str, portal_url: str) -> Message:
    what = NOTIFIED[Action(action)]
    return Message(
        subject=f"Tiket {code}: {what}",
        body=(
            f"Aspirasi/pengaduan Anda dengan kode tiket {code} {what}.\n\n"
            f"Lihat perkembangannya di {portal_url} dengan kode tiket dan kode rahasia Anda.\n"
            "Pesan ini dikirim otomatis; jangan dibalas.\n"
        ),
    )
