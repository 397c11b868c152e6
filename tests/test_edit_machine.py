"""Every kind of edit, undone and redone at random, on each sample: memory is always the file,
the live figures always a full recompute, and undoing everything gives back the exact plan.

CI runs a few sequences per sample; for the long run by hand:
``POOLPLANNER_SEQUENCES=200 python -m pytest tests/test_edit_machine.py``.
"""

import os

import pytest
from edit_machine import DocumentDriver, EditMachine
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

SEQUENCES = int(os.environ.get("POOLPLANNER_SEQUENCES", "6"))
RUN = settings(
    max_examples=SEQUENCES,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("sample", ["greater-manchester", "cheshire-west", "essex", "tri-borough"])
def test_random_edits_with_undo_and_redo_then_undo_everything(qapp, tmp_path, sample):
    class Machine(EditMachine):
        workdir = tmp_path
        make_driver = DocumentDriver

    Machine.sample = sample
    run_state_machine_as_test(Machine, settings=RUN)


def test_random_edits_in_the_main_window_then_undo_everything(qapp, tmp_path):
    from edit_machine import WindowDriver

    class Machine(EditMachine):
        workdir = tmp_path
        make_driver = WindowDriver
        sample = "essex"

    run_state_machine_as_test(Machine, settings=RUN)
