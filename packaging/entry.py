"""The frozen app's start: what the ``poolplanner`` console script runs (ui.app:main)."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
