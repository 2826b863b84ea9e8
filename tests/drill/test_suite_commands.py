"""The soak's workload: one employee's way through the suite, command by command, and the
/proc readings of memory it samples beside it."""

import os
import subprocess
import sys
from datetime import date

from soak_probes import children, rss_bytes, tree_rss_bytes
from suite_commands import BKPSDM, STEPS, Life, new_nip, promotion_tmt


def test_a_life_walks_every_service_acting_as_the_right_person():
    life = Life("199001012010011001", "opd-x", "198001012005011002")
    today = date(2026, 11, 29)
    seen = []
    while not life.done:
        command = life.command(today)
        seen.append((command.route, command.actor))
        answer = {"id": f"id-{command.step}"}
        life.advance(answer)
    staff, boss = life.nip, life.supervisor
    assert seen == [
        ("POST /api/employees", BKPSDM),
        ("POST /api/attendance/check-in", staff),
        ("POST /api/skp", staff),
        ("POST /api/leave-requests", staff),
        ("POST /api/employees/{nip}/promotions", BKPSDM),
        ("POST /api/skp/{id}/submit", staff),
        ("POST /api/leave-requests/{id}/decision", boss),
        ("PUT /api/employees/{nip}/position", BKPSDM),
        ("POST /api/skp/{id}/approve", boss),
        ("POST /api/attendance/check-out", staff),
    ]
    assert len(seen) == len(STEPS)


def test_later_steps_act_on_what_earlier_answers_created():
    life = Life("199001012010011001", "opd-x", "198001012005011002")
    today = date(2026, 11, 29)
    for step in STEPS[:5]:
        assert life.command(today).step == step
        life.advance({"id": f"{step}-id"})
    assert life.command(today).path == "/api/skp/skp-create-id/submit"
    life.advance({})
    decision = life.command(today)
    assert decision.path == "/api/leave-requests/leave-request-id/decision"
    assert decision.body == {"decision": "approve"}
    # Until it is acknowledged the same command comes again (a "not yet" answer).
    assert life.command(today) == decision


def test_registration_names_the_supervisor_and_leave_is_one_past_day():
    life = Life("199001012010012001", "opd-x", "198001012005011002")
    today = date(2026, 3, 1)
    register = life.command(today)
    assert register.body["supervisor_nip"] == "198001012005011002"
    assert register.body["sex"] == "female"
    life.step = STEPS.index("leave-request")
    leave = life.command(today).body
    assert leave == {"leave_type": "tahunan", "start_date": "2026-02-28", "end_date": "2026-02-28"}


def test_promotion_tmt_is_the_last_regular_date():
    assert promotion_tmt(date(2026, 11, 29)) == date(2026, 10, 1)
    assert promotion_tmt(date(2026, 4, 1)) == date(2026, 4, 1)
    assert promotion_tmt(date(2026, 3, 31)) == date(2025, 10, 1)


def test_memory_of_a_process_tree_counts_its_children():
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        assert child.pid in children(os.getpid())
        kid = rss_bytes(child.pid)
        assert kid > 2**20
        # The child's own memory is settled (it waits on stdin); ours may move a little.
        assert tree_rss_bytes(os.getpid()) > rss_bytes(os.getpid()) + kid // 2
    finally:
        child.communicate(b"")
    assert rss_bytes(child.pid) == 0  # gone: nothing to read, no failure


def test_every_serial_has_a_nip_of_its_own():
    assert len({new_nip(serial) for serial in range(20_000)}) == 20_000
    assert new_nip(1234, sex=2) == "197501022010012234"
