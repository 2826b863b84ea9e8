"""Group commit on real PostgreSQL: shared transactions, per-caller answers, nothing half-done."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import asyncpg
import pytest
from servicekit.groupcommit import GroupCommit
from servicekit.problems import ProblemError, conflict

pytestmark = pytest.mark.integration

NOTES = "CREATE TABLE note (name text PRIMARY KEY, txid bigint NOT NULL)"


async def write_notes(conn: asyncpg.Connection, names: Sequence[str]) -> list[int | Exception]:
    """Insert each name; a taken name or 'bad' is refused without touching the others."""
    answers: list[int | Exception] = []
    for name in names:
        if name == "bad":
            answers.append(conflict("bad_name", "no"))
            continue
        inserted = await conn.fetchval(
            "INSERT INTO note VALUES ($1, txid_current()) ON CONFLICT DO NOTHING RETURNING txid",
            name,
        )
        answers.append(inserted if inserted is not None else conflict("taken", name))
    return answers


@pytest.fixture
async def db(service_db):
    pool = await service_db.raw_pool()
    await pool.execute(NOTES)
    return service_db


# 1: one batch at a time; 2: what presensi's punch desks run (half its raw pool of 4).
IN_FLIGHT = pytest.mark.parametrize("in_flight", [1, 2])


@IN_FLIGHT
async def test_concurrent_callers_share_commits_and_get_their_own_answers(db, in_flight) -> None:
    desk: GroupCommit[str, int] = GroupCommit(db.raw_pool, write_notes, max_in_flight=in_flight)
    names = [f"n{i}" for i in range(40)] + ["bad", "n3"]
    answers = await asyncio.gather(*(desk.submit(n) for n in names), return_exceptions=True)

    refused = {names[i]: a for i, a in enumerate(answers) if isinstance(a, ProblemError)}
    assert {n: a.code for n, a in refused.items()} == {"bad": "bad_name", "n3": "taken"}
    committed = [a for a in answers if isinstance(a, int)]
    assert len(committed) == 40
    # 40 notes in fewer transactions than notes: callers waiting together share a commit.
    assert len(set(committed)) < 40
    assert desk.items == 42 and desk.batches == len(set(committed))
    pool = await db.raw_pool()
    assert await pool.fetchval("SELECT count(*) FROM note") == 40


@IN_FLIGHT
async def test_a_failing_batch_rolls_back_and_every_caller_hears_of_it(db, in_flight) -> None:
    async def half_then_fail(conn: asyncpg.Connection, names: Sequence[str]) -> list[int]:
        await write_notes(conn, names[:1])
        raise RuntimeError("disk full")

    desk: GroupCommit[str, int] = GroupCommit(db.raw_pool, half_then_fail, max_in_flight=in_flight)
    answers = await asyncio.gather(
        *(desk.submit(f"x{i}") for i in range(5)), return_exceptions=True
    )
    assert all(isinstance(a, RuntimeError) and str(a) == "disk full" for a in answers)
    pool = await db.raw_pool()
    assert await pool.fetchval("SELECT count(*) FROM note") == 0


@IN_FLIGHT
async def test_items_with_one_exclusive_key_never_share_or_overlap_batches(db, in_flight) -> None:
    seen: list[list[str]] = []
    running: set[str] = set()
    overlaps: list[str] = []

    async def record(conn: asyncpg.Connection, names: Sequence[str]) -> list[int | Exception]:
        keys = {n[0] for n in names}
        overlaps.extend(sorted(keys & running))
        running.update(keys)
        seen.append(list(names))
        number = len(seen)
        await conn.execute("SELECT pg_sleep(0.05)")  # long enough for batches to overlap
        running.difference_update(keys)
        return [number] * len(names)

    desk: GroupCommit[str, int] = GroupCommit(
        db.raw_pool, record, max_in_flight=in_flight, exclusive_key=lambda name: name[0]
    )
    names = ["a1", "b1", "a2", "c1", "a3", "b2", "d1"]
    answers = await asyncio.gather(*(desk.submit(n) for n in names))
    assert all(len({n[0] for n in batch}) == len(batch) for batch in seen)
    assert sorted(n for batch in seen for n in batch) == sorted(names)
    assert overlaps == [], "a key's items ran in two batches at once"
    # Held-back items keep their order: a1 before a2 before a3, b1 before b2.
    assert answers[0] < answers[2] < answers[4]
    assert answers[1] < answers[5]
