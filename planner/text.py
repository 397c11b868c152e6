"""Cleaning text that people type or import into a plan."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from planner.errors import EditError


def clean(
    value: object, what: str, *, required: bool = False, limit: int = 200, multiline: bool = False
) -> str:
    """``value`` stripped and normalised (NFC), or ``EditError`` naming ``what`` is wrong.

    Control characters are refused: they are invisible on screen and break the Excel export.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise EditError(f"The {what} must be text, not {type(value).__name__}.")
    text = unicodedata.normalize("NFC", value).strip()
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(ch) == "Cs" for ch in text):
        # Half of a character pair, left by a broken paste: it cannot be stored as UTF-8.
        raise EditError(f"The {what} contains a broken character; retype it.")
    # Line and paragraph separators (U+2028, U+2029) break a line as no newline does. In a
    # one-line text such as a name, invisible formatting characters too: a right-to-left
    # override or a zero-width space makes one name look like another.
    refused = {"Cc", "Zl", "Zp"} if multiline else {"Cc", "Cf", "Zl", "Zp"}
    bad = [ch for ch in text if unicodedata.category(ch) in refused and ch not in allowed]
    if bad:
        raise EditError(
            f"The {what} contains an invisible control character (U+{ord(bad[0]):04X}); "
            f"retype it without that character."
        )
    if required and not text:
        raise EditError(f"The {what} cannot be empty.")
    if len(text) > limit:
        raise EditError(f"The {what} is {len(text):,} characters long; the limit is {limit:,}.")
    return text


def shown(text: str) -> str:
    """``text`` safe to print on a terminal: control, formatting and broken characters as
    escapes (``\\x1b``, ``\\u202e``), everything else as it is."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Zl", "Zp"}:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def quoted(path: str | os.PathLike) -> str:
    """A file's name for a message, in quotes: shown as it is, but for its control characters,
    escaped. A file name may hold a newline or an escape code, and a message is read as the
    app's own words, on a terminal or in a dialog."""
    return f"'{shown(Path(path).name)}'"


QUOTED = 60  # characters of a file's text that a message quotes
MESSAGE = 2_000  # characters of a message shown at all


def shown_lines(text: str) -> str:
    """``text`` for a dialog: its lines kept, every control, formatting or separator character
    within them escaped (as ``shown``), and no longer than anyone reads."""
    return clip("\n".join(shown(line) for line in text.split("\n")), MESSAGE)


def clip(value: object, limit: int = QUOTED) -> str:
    """``value`` as text for a message: a cell or key from a file may be megabytes long."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
