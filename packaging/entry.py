"""The frozen app's start: what the ``poolplanner`` console script runs (ui.app:main)."""

import os
import sys

# Python's own start moves a C locale to C.UTF-8 (PEP 538); PyInstaller's bootloader does not,
# and Qt would say on stderr that it switched to C.UTF-8 itself (seen from cron and `env -i`).
if not os.environ.get("LC_ALL") and (
    os.environ.get("LC_CTYPE") or os.environ.get("LANG") or "C"
) in ("C", "POSIX"):
    os.environ["LC_CTYPE"] = "C.UTF-8"

from ui.app import main  # noqa: E402 - after the locale, which Qt reads as it loads

if __name__ == "__main__":
    sys.exit(main())
