"""The DuckDB file's all-or-nothing batches: rows and positions commit together or not at all."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from analytics_events import known_events
from asn_analytics.store import Landed, Store


def rows(first: int, count: int) -> list[Landed]:
    events = known_events()[:count]
    return [
        Landed(str(e.id), e.type, e.source, e.subject, e.time, e.actor, "t.events", 0, n, e.data)
        for n, e in enumerate(events, start=first)
    ]


def test_a_failed_batch_leaves_neither_rows_nor_a_moved_position(tmp_path: Path):
    with Store(tmp_path / "a.duckdb") as store:
        store.write_batch(rows(0, 3), [], [("t.events", 0, 3)])
        # The rows go in first, then the positions fail: the rows must go too.
        with pytest.raises(duckdb.Error):
            store.write_batch(rows(3, 3), [], [("t.events", 0, "not an offset")])  # type: ignore[list-item]
        assert store.positions() == {("t.events", 0): 3}
        assert store.db.execute("SELECT count(*) FROM raw_events").fetchone() == (3,)


def test_the_same_event_id_twice_is_one_row_and_counted_as_a_duplicate(tmp_path: Path):
    with Store(tmp_path / "a.duckdb") as store:
        batch = rows(0, 2)
        outcome = store.write_batch([*batch, batch[0]], [], [("t.events", 0, 3)])
        assert (outcome.landed, outcome.duplicates) == (2, 1)
        assert store.db.execute("SELECT count(*) FROM raw_events").fetchone() == (2,)
