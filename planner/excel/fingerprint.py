"""A plan's fingerprint: a hash of its whole content, printed on every page of the workbook, so
a returned workbook can be matched to the exact version of the plan it was made from."""

from __future__ import annotations

import hashlib

from planner import jsonio
from planner.model import Plan


def fingerprint(plan: Plan) -> str:
    """64 hex digits; equal for two plans exactly when their JSON dumps are equal."""
    return fingerprint_of_json(jsonio.dumps_content(plan))


def fingerprint_of_json(dumped: str) -> str:
    """The fingerprint of a plan already dumped with ``jsonio.dumps_content`` (a large plan's dump is
    worth making once)."""
    return hashlib.sha256(dumped.encode("utf-8")).hexdigest()


def short(fp: str) -> str:
    """The first 16 digits in groups of four, for headers and footers: ``3F2A-91C0-77B1-0D4E``."""
    head = fp[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))
