"""Crash safety: a child editing a plan is killed (SIGKILL) at random moments; after every kill
the file opens the way a user first opens it (read-only, to look), is never called damaged, is
intact, and holds every edit the child reported as done."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.store import PlanFile

KILLS = 200
CHILD = Path(__file__).parent / "crash_child.py"


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_no_acknowledged_edit_is_lost_when_the_process_is_killed(example_file):
    path = example_file.path
    example_file.close()
    rnd = random.Random(20261124)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent))
    last_done = 100_000_00  # the worked example's council 2025-26 contribution, in pence
    kills = hot = 0
    while kills < KILLS:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(path), str(last_done)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        # Wait for the child to start editing, then let it run for a random while.
        first = child.stdout.readline().strip()
        assert first.startswith("done"), first
        done = int(first.split()[1])
        deadline = time.monotonic() + rnd.uniform(0, 0.03)
        while time.monotonic() < deadline:
            line = child.stdout.readline().strip()
            if line.startswith("done"):
                done = int(line.split()[1])
        child.send_signal(signal.SIGKILL)
        # Lines already written before the kill are acknowledged edits too.
        for line in child.stdout.read().splitlines():
            if line.startswith("done"):
                done = int(line.split()[1])
        child.wait()
        kills += 1

        journal = Path(str(path) + "-journal")
        hot += journal.exists() and journal.stat().st_size > 0
        # First as a user looking at it: no DamagedPlanError, the half-made edit rolled back.
        with PlanFile.open(path, read_only=True) as pf:
            seen = pf.find_contribution(1, 2025, 1).amount_pence
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        with PlanFile.open(path) as pf:
            amount = pf.find_contribution(1, 2025, 1).amount_pence
        assert seen == amount
        # Every reported edit is there; at most one more committed without being reported.
        assert done <= amount <= done + 1, (done, amount)
        last_done = amount
    assert kills == KILLS
    print(f"{kills} kills, {hot} of them mid-edit (a hot journal left), none called damaged")
