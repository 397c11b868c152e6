"""Keeping CPython's cyclic garbage collector out of the way of a large plan.

Opening the stress plan makes some 90,000 objects the collector tracks (rows, figures, findings),
all living as long as the plan. While they are being made, the collector's thresholds trip again
and again and each full collection walks every one of them: about 30 ms of the 215 ms it took to
open the plan. Afterwards, every later full collection walks them again, and one landing inside
an edit is that edit's slowest repaint. So: no collections while a plan is read, then its objects go to the permanent generation,
which the collector never scans. They are still freed by reference counting when the plan closes;
``release`` hands any cycles among them back to the collector and collects them (about 10 ms
with the stress plan). When one plan replaces another, the old one's widgets are deleted a moment
later, after the new plan is frozen, so cycles among them wait for the next ``release``: at most
one closed plan's leftovers linger, and plans opened one after another do not pile up.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Objects made inside this block are expected to live until ``release``; if it raises,
    they are not (a refused file), and nothing is frozen."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def release(collect: bool = True) -> None:
    """The plan made under ``long_lived`` has closed: collect what it leaves in cycles now
    (before another plan's objects are frozen with them), or, with ``collect`` False, whenever
    the collector next runs (a window closing as the app quits should not wait for it)."""
    gc.unfreeze()
    if collect:
        gc.collect()
