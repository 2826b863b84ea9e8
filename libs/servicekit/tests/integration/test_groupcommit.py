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


async def test_concurrent_callers_share_commits_and_get_their_own_answers(db) -> None:
    desk: GroupCommit[str, int] = GroupCommit(db.raw_pool, write_notes, max_in_flight=1)
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


async def test_a_failing_batch_rolls_back_and_every_caller_hears_of_it(db) -> None:
    async def half_then_fail(conn: asyncpg.Connection, names: Sequence[str]) -> list[int]:
        await write_notes(conn, names[:1])
        raise RuntimeError("disk full")

    desk: GroupCommit[str, int] = GroupCommit(db.raw_pool, half_then_fail, max_in_flight=1)
    answers = await asyncio.gather(
        *(desk.submit(f"x{i}") for i in range(5)), return_exceptions=True
    )
    assert all(isinstance(a, RuntimeError) and str(a) == "disk full" for a in answers)
    pool = await db.raw_pool()
    assert await pool.fetchval("SELECT count(*) FROM note") == 0


async def test_items_with_one_exclusive_key_never_share_a_batch(db) -> None:
    seen: list[list[str]] = []

    async def record(conn: asyncpg.Connection, names: Sequence[str]) -> list[int | Exception]:
        seen.append(list(names))
        return [len(seen)] * len(names)

    desk: GroupCommit[str, int] = GroupCommit(
        db.raw_pool, record, max_in_flight=1, exclusive_key=lambda name: name[0]
    )
    answers = await asyncio.gather(*(desk.submit(n) for n in ["a1", "b1", "a2", "c1", "a3"]))
    assert all(len({n[0] for n in batch}) == len(batch) for batch in seen)
    assert sorted(n for batch in seen for n in batch) == ["a1", "a2", "a3", "b1", "c1"]
    # Held-back items keep their order: a1 before a2 before a3.
    assert answers[0] < answers[2] < answers[4]
