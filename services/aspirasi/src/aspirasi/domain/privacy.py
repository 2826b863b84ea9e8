"""Who may see a ticket's words (DOMAIN 1.10: mistakes here led to legal cases).

`rahasia` (the default) is not public; `anonim` is public with the reporter hidden;
`publik` is public with the reporter named. Staff may make a ticket stricter, never looser.
"""

from __future__ import annotations

from asn_schemas.aspirasi import Privacy

_STRICTNESS = {Privacy.PUBLIK: 0, Privacy.ANONIM: 1, Privacy.RAHASIA: 2}
DEFAULT = Privacy.RAHASIA


class PrivacyLoosened(Exception):
    pass


def tighten(current: Privacy, requested: Privacy) -> Privacy:
    """The requested privacy if it is at least as strict; raises if it would loosen."""
    if _STRICTNESS[requested] < _STRICTNESS[current]:
        raise PrivacyLoosened(f"{current} cannot become {requested}")
    return requested


def on_board(privacy: Privacy) -> bool:
    return privacy is not Privacy.RAHASIA


def public_words(privacy: Privacy, value: str | None) -> str | None:
    """What an event or the board may carry of a title, text or answer."""
    return value if on_board(privacy) else None


def reporter_shown(privacy: Privacy) -> bool:
    """Only a `publik` ticket shows who sent it (to staff; never on the board)."""
    return privacy is Privacy.PUBLIK
