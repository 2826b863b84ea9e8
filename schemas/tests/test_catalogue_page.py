"""The catalogue page: every event with its meaning, key, producer, consumers, fields and
example; plain HTML, searchable by name."""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser

import pytest
from asn_schemas.asyncapi import CATALOGUE_DIR, PAGE_FILE, build_document
from asn_schemas.catalogue_page import prose, render_page, type_label
from asn_schemas.registry import EVENT_TYPES
from asn_schemas.streams import consumers_of, key_spec, meaning_of


class _Sections(HTMLParser):
    """Text of each `<section id=...>` that names an event type."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self._current: str | None = None
        self.search_labelled = False
        self._label_for: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("id") in EVENT_TYPES:
            self._current = a["id"]
            self.sections[self._current] = []
        if tag == "label" and a.get("for"):
            self._label_for.add(a["for"] or "")
        if tag == "input" and a.get("type") == "search" and a.get("id") in self._label_for:
            self.search_labelled = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self.sections[self._current].append(data)


@pytest.fixture(scope="module")
def page() -> str:
    return (CATALOGUE_DIR / PAGE_FILE).read_text(encoding="utf-8")


def test_the_committed_page_is_the_rendered_document(page: str) -> None:
    assert page == render_page(build_document())


def test_every_event_has_its_meaning_key_producer_consumers_fields_and_example(
    page: str,
) -> None:
    parser = _Sections()
    parser.feed(page)
    assert set(parser.sections) == set(EVENT_TYPES)
    assert parser.search_labelled
    for event_type, chunks in parser.sections.items():
        text = " ".join(" ".join(chunks).split())
        flat = " ".join("".join(chunks).split())  # inline markup split no words
        assert " ".join(meaning_of(event_type).replace("`", "").split()) in flat, event_type
        assert key_spec(event_type).template in text
        assert f"producer {event_type.split('.')[0]}" in text
        consumers = ", ".join(consumers_of(event_type)) or "none in the suite"
        assert f"consumers {consumers}" in text
        assert "Fields of data" in text
        assert f'"type": "{event_type}"' in text  # the example envelope


def test_the_page_escapes_text_from_the_models() -> None:
    document = build_document()
    message = document["components"]["messages"]["pegawai.unit.created.v1"]
    message["description"] = "<script>alert(1)</script>"
    page = render_page(document)
    assert "<script>alert(1)</script>" not in page
    assert escape("<script>alert(1)</script>") in page


@pytest.mark.parametrize(
    ("schema", "label"),
    [
        ({"type": "string", "format": "date"}, "string (date)"),
        (
            {"anyOf": [{"$ref": "#/components/schemas/Position"}, {"type": "null"}]},
            "Position or null",
        ),
        ({"type": "array", "items": {"type": "string"}}, "list of string"),
        ({"enum": ["a", "b"]}, 'one of "a", "b"'),
        ({"const": "1.0"}, json.dumps("1.0")),
    ],
)
def test_type_labels(schema: dict[str, object], label: str) -> None:
    assert type_label(schema) == label


def test_prose_makes_paragraphs_lists_and_code_and_escapes_the_rest() -> None:
    html = prose("One `a<b` and **two**.\n\n* first\n  line\n* second")
    assert html == (
        "<p>One <code>a&lt;b</code> and <strong>two</strong>.</p>\n"
        "<ul><li>first line</li><li>second</li></ul>"
    )
