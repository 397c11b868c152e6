"""A child process for test_crash.py: makes numbered edits to a plan through the same plan-file
calls the app's commands use, printing "done N" after each one is committed."""

import sys

from planner.store import PlanFile


def main(path: str, start: int) -> None:
    with PlanFile.open(path) as pf:
        if pf.read_only:
            print("locked", flush=True)
            return
        n = start
        while True:
            n += 1
            # Edit n sets the council's 2025-26 contribution to n pence; every fifth edit also
            # touches other tables, so transactions vary in shape.
            pf.set_contribution(1, 2025, n, settlement_id=1)
            if n % 5 == 0:
                pf.set_scheme_spend(1, 2026, n)
                pf.update_body(4, signatory_name=f"Signatory {n}")
            print(f"done {n}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
