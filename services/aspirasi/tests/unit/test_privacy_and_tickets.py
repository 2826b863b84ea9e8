"""Privacy only tightens; the ticket code reads aloud; the secret is hashed and compared."""

import re

import pytest
from asn_schemas.aspirasi import Privacy
from aspirasi.domain.privacy import (
    DEFAULT,
    PrivacyLoosened,
    on_board,
    public_words,
    reporter_shown,
    tighten,
)
from aspirasi.domain.tickets import (
    hash_secret,
    is_ticket_code,
    new_salt,
    new_secret,
    secret_matches,
    ticket_code,
)


def test_the_default_is_the_safe_one():
    assert DEFAULT is Privacy.RAHASIA


@pytest.mark.parametrize(
    ("current", "requested"),
    [
        (Privacy.PUBLIK, Privacy.ANONIM),
        (Privacy.PUBLIK, Privacy.RAHASIA),
        (Privacy.ANONIM, Privacy.RAHASIA),
        (Privacy.ANONIM, Privacy.ANONIM),
    ],
)
def test_stricter_or_equal_is_allowed(current, requested):
    assert tighten(current, requested) is requested


@pytest.mark.parametrize(
    ("current", "requested"),
    [
        (Privacy.RAHASIA, Privacy.ANONIM),
        (Privacy.RAHASIA, Privacy.PUBLIK),
        (Privacy.ANONIM, Privacy.PUBLIK),
    ],
)
def test_looser_is_refused(current, requested):
    with pytest.raises(PrivacyLoosened):
        tighten(current, requested)


def test_rahasia_words_never_leave():
    assert public_words(Privacy.RAHASIA, "Judul") is None
    assert public_words(Privacy.ANONIM, "Judul") == "Judul"
    assert not on_board(Privacy.RAHASIA)
    assert on_board(Privacy.ANONIM) and on_board(Privacy.PUBLIK)
    assert reporter_shown(Privacy.PUBLIK)
    assert not reporter_shown(Privacy.ANONIM)
    assert not reporter_shown(Privacy.RAHASIA)


def test_ticket_code():
    assert ticket_code(2026, 123) == "SWL-2026-000123"
    assert is_ticket_code("SWL-2026-000123")
    assert not is_ticket_code("SWL-2026-12")
    assert not is_ticket_code("swl-2026-000123'; --")


def test_secret_shape_and_entropy():
    secret = new_secret()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", secret)
    assert not set(secret.replace("-", "")) & set("ILOU")
    assert len({new_secret() for _ in range(200)}) == 200


def test_secret_matches_only_itself_and_tolerates_how_it_is_read_back():
    salt = new_salt()
    secret = "AB01-CD23-EF45-GH67"
    stored = hash_secret(secret, salt)
    assert secret_matches(secret, salt, stored)
    assert secret_matches("ab01 cd23 ef45 gh67", salt, stored)
    assert secret_matches("ABO1CD23EF45GH67", salt, stored)  # O read for 0
    assert not secret_matches("AB01-CD23-EF45-GH68", salt, stored)
    assert not secret_matches(secret, new_salt(), stored)
    assert secret.encode() not in stored
