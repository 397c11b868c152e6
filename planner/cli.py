"""The ``poolplanner`` command: make, check, summarise, dump and load plans."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from planner import jsonio, samples
from planner import years as fy
from planner.errors import PlanFileError, PlanFormatError, PlannerError
from planner.store import PlanFile
from planner.text import MESSAGE, clip, quoted, shown

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _year(text: str) -> int:
    try:
        return fy.parse(text)
    except fy.YearError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="poolplanner",
        description="Plan pooled public budgets: see which partners' money is confirmed, "
        "indicative or unfunded, year by year.",
    )
    from planner import __version__

    p.add_argument("--version", action="version", version=f"poolplanner {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    new = sub.add_parser(
        "new",
        help="create a plan file",
        description="Create a new, empty plan, or a copy of a bundled sample.",
    )
    new.add_argument("plan", type=Path, help="the .poolplan file to create")
    what = new.add_mutually_exclusive_group(required=True)
    what.add_argument("--name", help="the plan's name")
    what.add_argument("--sample", choices=samples.NAMES, help="start from a bundled sample plan")
    new.add_argument("--first-year", type=_year, help="first financial year, e.g. 2025-26")
    new.add_argument("--years", type=int, default=5, help="how many years the plan runs (5)")
    new.add_argument("--force", action="store_true", help="overwrite PLAN if it exists")

    check = sub.add_parser(
        "check",
        help="list the plan's findings",
        description="List the findings (unconfirmed funding, short settlements, renewal cliffs, "
        "over-commitments, deficits). Exit status: 0 none, 1 some, 2 file not "
        "readable.",
    )
    check.add_argument("plan", type=Path)
    check.add_argument("--json", action="store_true", help="print the findings as JSON")

    summary = sub.add_parser(
        "summary",
        help="print every figure of the plan",
        description="Per year and per body: contributions by certainty, "
        "spending, balance, confirmed horizons and findings.",
    )
    summary.add_argument("plan", type=Path)
    summary.add_argument("--json", action="store_true", help="print JSON (amounts in pence)")

    dump = sub.add_parser(
        "dump",
        help="print the whole plan as JSON",
        description="Write the whole plan as JSON (see docs/plan-json.md).",
    )
    dump.add_argument("plan", type=Path)
    dump.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")

    hist = sub.add_parser(
        "history",
        help="list the plan's history of edits",
        description="Every edit, undo, redo and revert made to the plan, oldest first: when, "
        "who and what. With --json, each entry's changed rows too.",
    )
    hist.add_argument("plan", type=Path)
    hist.add_argument("--json", action="store_true", help="print JSON, with each entry's rows")

    export = sub.add_parser(
        "export",
        help="write the sign-off workbook (.xlsx)",
        description="Write the plan as an Excel workbook for partners to check and sign: live "
        "formulas, protected sheets, print-ready.",
    )
    export.add_argument("plan", type=Path)
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the workbook to write (default: beside PLAN, named after it)",
    )
    export.add_argument(
        "--password",
        help="protect the sheets with this password (default: protected, no password)",
    )

    quarter = sub.add_parser(
        "export-quarter",
        help="write the quarterly monitoring return (.xlsx)",
        description="Write a quarter's monitoring return for partners and scheme leads: yellow "
        "cells for each scheme's actuals and explanations, live formulas for the outturn and "
        "variance, the risk-share statement, and a sign-off for the pooled fund manager.",
    )
    quarter.add_argument("plan", type=Path)
    quarter.add_argument("--year", type=_year, required=True, help="the year, e.g. 2025-26")
    quarter.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4))
    quarter.add_argument("-o", "--output", type=Path, required=True, help="the workbook to write")

    back = sub.add_parser(
        "import-quarter",
        help="read a returned quarterly monitoring return",
        description="Compare a returned quarterly workbook with the one sent (only its yellow "
        "cells may differ) and list the actuals and explanations it changes. Nothing is "
        "recorded without --apply; with it, they are recorded as one edit.",
    )
    back.add_argument("plan", type=Path)
    back.add_argument("workbook", type=Path, help="the returned .xlsx")
    back.add_argument("--apply", action="store_true", help="record the changes in the plan")

    ret = sub.add_parser(
        "import-return",
        help="read a partner's returned sign-off workbook",
        description="Match a returned workbook to the version of the plan it was made from, "
        "list every figure changed in it and each body's sign-off. Nothing is recorded without "
        "--apply.",
    )
    ret.add_argument("plan", type=Path)
    ret.add_argument("workbook", type=Path, help="the returned .xlsx")
    ret.add_argument("--apply", action="store_true", help="record the sign-offs in the plan")
    ret.add_argument(
        "--sign-for",
        action="append",
        default=[],
        metavar="BODY",
        help="with --apply, a return that signs for more than one body: record this body's "
        "decision (once for each body, or 'all')",
    )
    ret.add_argument(
        "--accept-changes",
        action="store_true",
        help="with --apply, also make every changed figure in the plan",
    )
    ret.add_argument(
        "--anyway",
        action="store_true",
        help="compare a return of an older version with that version",
    )

    # Listed here for --help; ui.app runs it (it draws with Qt, which planner/ never imports).
    pack = sub.add_parser(
        "board-pack",
        help="write the board pack (PDF)",
        description="Write the board pack, an A4 landscape PDF: cover, timeline, findings, "
        "who invests and who benefits, commitments and sign-off, and the monitoring position. "
        "Needs no display.",
    )
    pack.add_argument("plan", type=Path)
    pack.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    pack.add_argument("--as-at", help="the date on the cover, e.g. 2026-03-31 (default: today)")

    load = sub.add_parser(
        "load",
        help="make a plan file from JSON",
        description="Create PLAN from JSON written by 'dump' or by hand.",
    )
    load.add_argument("plan", type=Path)
    load.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        help="the JSON file ('-' for standard input)",
    )
    load.add_argument("--force", action="store_true", help="replace PLAN if it exists")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_OK
    try:
        return _COMMANDS[args.command](args)
    except PlannerError as e:
        # A file's name or a name inside it is printed with its control characters escaped:
        # a crafted one could otherwise clear the terminal and print what it likes.
        print(f"poolplanner: {shown(clip(str(e), MESSAGE))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. piped into `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:  # a fault of ours: said in a line, the traceback only on request
        if os.environ.get("POOLPLANNER_DEBUG"):
            raise
        print(
            f"poolplanner: something went wrong that Pool Planner did not expect "
            f"({shown(type(e).__name__)}: {shown(str(e))[:300]}). Nothing was changed. "
            f"Set POOLPLANNER_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _open(path: Path) -> PlanFile:
    # Reports never change the file: not even an upgrade of an older format.
    return PlanFile.open(path, read_only=True)


def _upgrade_if_older(pf: PlanFile) -> None:
    """A command that records something upgrades an older-format plan first, and says so."""
    if pf.older_format is not None:
        kept = pf.upgrade()
        print(
            f"Upgraded {pf.path.name} to this version's file format; the file as it was is {kept.name}"
        )


def _new(args) -> int:
    if args.sample:
        plan = samples.load(args.sample)
    else:
        if args.first_year is None:
            raise PlannerError("Give --first-year (e.g. 2025-26) for a new plan.")
        from planner import fields
        from planner.model import Plan

        plan = Plan(
            name=fields.PLAN_NAME.check(args.name),
            first_year=args.first_year,
            years=fields.PLAN_YEARS.check(args.years),
        )
    with PlanFile.create(args.plan, plan, overwrite=args.force) as pf:
        print(
            f"Created {pf.path} ({pf.plan.name}, {fy.label(pf.plan.first_year)} to "
            f"{fy.label(pf.plan.last_year)})"
        )
    return EXIT_OK


def _check(args) -> int:
    from planner.findings import find
    from planner.report import finding_dict

    with _open(args.plan) as pf:
        plan = pf.plan
        findings = find(plan)
        if args.json:
            print(
                json.dumps([finding_dict(plan, f) for f in findings], indent=2, ensure_ascii=False)
            )
        elif not findings:
            print(f"{plan.name}: no findings.")
        else:
            print(f"{plan.name}: {len(findings)} finding{'s' if len(findings) != 1 else ''}\n")
            for f in findings:
                print(f"[{f.severity.value.upper()}] {f.code.value}: {f.message}\n")
    return EXIT_FINDINGS if findings else EXIT_OK


def _summary(args) -> int:
    from planner import report

    with _open(args.plan) as pf:
        if args.json:
            print(
                json.dumps(
                    report.summary(pf.plan, sign_offs=pf.sign_offs()), indent=2, ensure_ascii=False
                )
            )
        else:
            print(report.summary_text(pf.plan))
    return EXIT_OK


def _dump(args) -> int:
    with _open(args.plan) as pf:
        text = jsonio.dumps(pf.plan)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _history(args) -> int:
    from planner import years as fy

    with _open(args.plan) as pf:
        entries = pf.history()
        if args.json:
            out = [
                {
                    "id": e.id,
                    "when": e.made_at,
                    "who": e.who,
                    "user_name": e.user_name,
                    "display_name": e.display_name,
                    "what": e.what,
                    "kind": e.kind,
                    "after_sign_off_by": list(e.signed_by),
                    "body_ids": list(e.body_ids),
                    "years": [fy.label(y) for y in e.years],
                    "changes": pf.history_rows(e.id),
                }
                for e in entries
            ]
            print(json.dumps(out, indent=2, ensure_ascii=False))
            return EXIT_OK
    if not entries:
        print("No edits have been recorded in this plan's history.")
    for e in entries:
        signed = f"  [after sign-off by {', '.join(e.signed_by)}]" if e.signed_by else ""
        when = e.made_at[:16].replace("T", " ")
        print(f"{e.id:>5}  {when}  {e.who}  {e.what}{signed}")
    return EXIT_OK


def _export(args) -> int:
    from planner.excel.export import NOT_RECORDED, export_plan_file
    from planner.excel.fingerprint import short

    out = args.output or args.plan.with_suffix(".xlsx")
    if out.suffix.lower() != ".xlsx":
        raise PlannerError(f"The workbook must end in .xlsx; '{out.name}' does not.")
    # Opened for editing only to keep a record of the version sent (it is not changed).
    with PlanFile.open(args.plan) as pf:
        _upgrade_if_older(pf)
        fp, recorded = export_plan_file(pf, out, password=args.password)
    print(f"Wrote {out} (fingerprint {short(fp)})")
    if not recorded:
        print(NOT_RECORDED, file=sys.stderr)
    return EXIT_OK


def _export_quarter(args) -> int:
    from planner.excel.quarterly import export_quarter

    if args.output.suffix.lower() != ".xlsx":
        raise PlannerError(f"The workbook must end in .xlsx; '{args.output.name}' does not.")
    with PlanFile.open(args.plan) as pf:
        _upgrade_if_older(pf)
        q = export_quarter(pf, args.year, args.quarter, args.output)
        kept = not pf.read_only
    print(f"Wrote {args.output} ({fy.label(q.year)} Q{q.quarter}, return key {q.key[:16]})")
    if not kept:
        print(
            "The plan is open elsewhere, so no record of this return was kept: it cannot be "
            "read back into this plan.",
            file=sys.stderr,
        )
    return EXIT_OK


def _import_quarter(args) -> int:
    from planner.excel.quarterly import apply_quarter, read_quarter, review_lines

    with PlanFile.open(args.plan, read_only=not args.apply) as pf:
        if args.apply:
            _upgrade_if_older(pf)
        report = read_quarter(pf, args.workbook)
        print(report.summary())
        for line in review_lines(report):
            print(f"  {line}")
        if args.apply and (report.actuals or report.explanations):
            apply_quarter(pf, report)
            print("Recorded as one edit (undo it from the app's Edit menu or the history).")
        elif report.actuals or report.explanations:
            print("Nothing was recorded: add --apply to record these changes.")
    return EXIT_OK


def _confirmed_sign_offs(plan, sign_offs, named: list[str]):
    """One workbook carries every body, so one return can sign for several: each of those is
    recorded only when named (``--sign-for``), as the window asks for each."""
    if len(sign_offs) <= 1 or named == ["all"]:
        return sign_offs
    names = {plan.bodies[s.body_id].name: s for s in sign_offs}
    unknown = [n for n in named if n not in names]
    if unknown or not named:
        listed = ", ".join(quoted(n) for n in names)
        first = f"{quoted(unknown[0])} does not sign in it. " if unknown else ""
        raise PlannerError(
            f"{first}This return signs for {len(names)} bodies ({listed}); say which to record "
            f"with --sign-for BODY, once for each (or --sign-for all). Nothing was recorded."
        )
    return [names[n] for n in named]


def _import_return(args) -> int:
    from planner.excel.returns import OlderVersionError, apply_return, read_return

    with PlanFile.open(args.plan, read_only=not args.apply) as pf:
        if args.apply:
            _upgrade_if_older(pf)
        if args.apply and pf.read_only:
            raise PlanFileError(
                f"'{args.plan.name}' is open elsewhere; close it to record the return."
            )
        try:
            report = read_return(pf, args.workbook, compare_anyway=args.anyway)
        except OlderVersionError as e:
            raise PlannerError(
                f"{e} Run again with --anyway to compare it with that version."
            ) from None
        print(report.summary(pf.plan))
        if args.apply:
            accepted = report.changes if args.accept_changes else []
            chosen = _confirmed_sign_offs(pf.plan, report.sign_offs, args.sign_for)
            apply_return(pf, report, accepted, chosen)
            print(
                f"Recorded {len(chosen)} sign-off"
                f"{'s' if len(chosen) != 1 else ''}"
                + (
                    f" and {len(accepted)} change{'s' if len(accepted) != 1 else ''}"
                    if accepted
                    else ""
                )
                + "."
            )
        elif report.changes or report.sign_offs:
            print(
                "\nNothing recorded: run again with --apply (and --accept-changes to take the "
                "changed figures too)."
            )
    return EXIT_OK


def _board_pack(args) -> int:
    raise PlannerError(
        "board-pack draws with Qt: run it as 'poolplanner board-pack', not through planner."
    )


def _load(args) -> int:
    try:
        if str(args.source) == "-":
            text = sys.stdin.read()
        else:
            if args.source.stat().st_size > 200 * 1024 * 1024:
                raise PlanFileError(f"'{args.source.name}' is too large to be a plan.")
            text = args.source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PlanFileError(f"'{args.source}' is not UTF-8 text, so it is not plan JSON.") from None
    except OSError as e:
        raise PlanFileError(f"'{args.source}' could not be read: {e.strerror or e}.") from None
    try:
        plan = jsonio.loads(text)
    except PlanFormatError as e:  # said with the file it is in
        where = "standard input" if str(args.source) == "-" else quoted(args.source)
        raise PlanFormatError(f"{where}: {e}") from None
    with PlanFile.create(args.plan, plan, overwrite=args.force) as pf:
        print(f"Created {pf.path} from {args.source}")
    return EXIT_OK


_COMMANDS = {
    "new": _new,
    "check": _check,
    "summary": _summary,
    "dump": _dump,
    "history": _history,
    "load": _load,
    "export": _export,
    "import-return": _import_return,
    "export-quarter": _export_quarter,
    "import-quarter": _import_quarter,
    "board-pack": _board_pack,
}
COMMANDS = frozenset(_COMMANDS)


if __name__ == "__main__":
    sys.exit(main())
