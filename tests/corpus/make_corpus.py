"""Write the bad-input corpus (run from the repository: python tests/corpus/make_corpus.py).

The files are committed; this script says how each was made, so a case can be added or the set
rebuilt when the plan format or the worked example changes. manifest.json lists every case with
what must happen: a phrase of the error it must raise, or "ok".
"""

import json
import re
import sqlite3
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent))

from badfiles import BAD_FILES  # noqa: E402
from builders import appraisal_example, worked_example  # noqa: E402

from planner import jsonio  # noqa: E402
from planner.excel.export import export_workbook  # noqa: E402
from planner.excel.layout import SHEET_TITLES  # noqa: E402

# A signing date in the past, as the corpus's returns are signed: a return dated after the day
# it is read is refused, and the corpus is read on later days than it was made.
SIGNED = "30/11/2026"
CONTRIBUTIONS = SHEET_TITLES.index("Contributions") + 1  # its part: xl/worksheets/sheetN.xml

manifest: list[dict] = []


def case(kind: str, name: str, expect: str, why: str) -> None:
    manifest.append({"kind": kind, "file": name, "expect": expect, "why": why})


def plans() -> None:
    folder = HERE / "plans"
    folder.mkdir(exist_ok=True)
    for label, (make, _error, phrase) in BAD_FILES.items():
        name = label.replace(" ", "-").replace("'", "") + ".poolplan"
        target = folder / name
        target.unlink(missing_ok=True)
        make(target)
        case("plan", f"plans/{name}", phrase, label)
    # A well-formed plan whose text is hostile but legal: it must open.
    from planner.store import PlanFile

    p = worked_example()
    p.bodies[1].name = "Anytown Council \u0645\u062c\u0644\u0633"  # right-to-left script
    p.bodies[2].name = "NHS Anytown CCG \U0001f3e5\U0001f4b7"
    p.bodies[3].name = '=HYPERLINK("http://x","y")'
    target = folder / "hostile-text.poolplan"
    target.unlink(missing_ok=True)
    PlanFile.create(target, p).close()
    case("plan", "plans/hostile-text.poolplan", "ok", "RTL script, emoji and formula text in names")
    # An override that shows a name backwards is not text anyone typed: refused.
    override = folder / "right-to-left-override.poolplan"
    override.write_bytes(target.read_bytes())
    conn = sqlite3.connect(override)
    conn.execute("UPDATE body SET name = ? WHERE id = 1", ("\u202eliocnuoC nwotynA",))
    conn.commit()
    conn.close()
    case("plan", "plans/right-to-left-override.poolplan", "would never write", "RLO in a name")
    # A foreign database that happens to use our table names.
    target = folder / "impostor.poolplan"
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE plan (id, name)")
    conn.commit()
    conn.close()
    case("plan", "plans/impostor.poolplan", "another program", "our table names, not our id")


def json_cases() -> None:
    folder = HERE / "json"
    folder.mkdir(exist_ok=True)
    good = jsonio.to_dict(worked_example())

    def variant(name, expect, why, mutate=None, text=None):
        data = json.loads(json.dumps(good))
        if mutate:
            mutate(data)
        (folder / name).write_text(text if text is not None else json.dumps(data), encoding="utf-8")
        case("json", f"json/{name}", expect, why)

    c0 = lambda d: d["contributions"][0]  # noqa: E731
    variant(
        "nan.json",
        "NaN",
        "NaN literal",
        text=json.dumps(good).replace('"amount_pence": 100000000', '"amount_pence": NaN', 1),
    )
    variant(
        "infinity.json",
        "Infinity",
        "Infinity literal",
        text=json.dumps(good).replace('"amount_pence": 100000000', '"amount_pence": Infinity', 1),
    )
    variant(
        "nan-string.json",
        "whole number",
        "'NaN' as a string",
        lambda d: c0(d).update(amount_pence="NaN"),
    )
    variant(
        "inf-string.json",
        "whole number",
        "'inf' as a string",
        lambda d: c0(d).update(amount_pence="inf"),
    )
    variant("huge.json", "zeros", "an absurd amount", lambda d: c0(d).update(amount_pence=10**40))
    variant("negative.json", "negative", "negative money", lambda d: c0(d).update(amount_pence=-1))
    variant(
        "float.json", "whole number", "pounds as a float", lambda d: c0(d).update(amount_pence=1.5)
    )
    variant("bool.json", "whole number", "true as money", lambda d: c0(d).update(amount_pence=True))
    variant(
        "control-chars.json",
        "control character",
        "an escape sequence in a name",
        lambda d: d["bodies"][0].update(name="Anytown\u001b[2J Council"),
    )
    variant(
        "rtl-emoji.json",
        "ok",
        "right-to-left and emoji names load",
        lambda d: d["bodies"][0].update(name="\u05de\u05d5\u05e2\u05e6\u05d4 \U0001f3db"),
    )
    variant(
        "formula-name.json",
        "ok",
        "formula text is only text",
        lambda d: d["bodies"][0].update(name="=1+2"),
    )
    variant(
        "deep.json",
        "nested too deeply|expected an object",
        "deep nesting",
        text="[" * 50_000 + "]" * 50_000,
    )
    variant(
        "wrong-type.json",
        "expected a list",
        "bodies as a string",
        lambda d: d.update(bodies="all of them"),
    )
    variant(
        "missing-year.json",
        "is missing",
        "plan without a first year",
        lambda d: d["plan"].pop("first_year"),
    )
    variant(
        "bad-year.json",
        "not a financial year",
        "year 2025-27",
        lambda d: c0(d).update(year="2025-27"),
    )
    variant(
        "year-out-of-range.json", "outside", "year 9999-00", lambda d: c0(d).update(year="9999-00")
    )
    variant(
        "duplicate-id.json",
        "used twice",
        "two bodies with one id",
        lambda d: d["bodies"].append(dict(d["bodies"][0], name="Other")),
    )
    variant(
        "unknown-field.json",
        "not a known field",
        "a stray field",
        lambda d: d["plan"].update(colour="red"),
    )
    variant("newer.json", "newer", "a newer format", lambda d: d.update(format_version=999))
    variant("not-json.json", "not valid JSON", "HTML", text="<html><body>hello</body></html>")
    variant("empty.json", "not valid JSON", "an empty file", text="")
    variant(
        "bad-bias.json",
        "between 0% and 100%",
        "optimism bias of 150%",
        lambda d: d.update(
            benefits=[{"id": 1, "scheme_id": 1, "body_id": 1, "optimism_bias_bp": 15000}]
        ),
    )
    text = json.dumps(good)
    variant(
        "amount-twice.json",
        "given twice",
        "an amount given twice in one object",
        text=text.replace(
            '"amount_pence": 100000000', '"amount_pence": 1, "amount_pence": 100000000', 1
        ),
    )
    variant(
        "year-twice.json",
        "given twice",
        "a year given twice",
        text=text.replace('"year": "2025-26"', '"year": "2026-27", "year": "2025-26"', 1),
    )
    variant("bom.json", "ok", "saved by Notepad, with a byte-order mark", text="\ufeff" + text)
    variant(
        "five-thousand-digits.json",
        "digits",
        "a 5,000-digit number",
        text=text.replace('"amount_pence": 100000000', '"amount_pence": ' + "9" * 5000, 1),
    )
    variant(
        "lone-surrogate.json",
        "broken character",
        "half of a character pair in a name",
        text=text.replace('"name": "Anytown Council"', '"name": "Anytown \\ud800Council"', 1),
    )
    variant(
        "long-key.json",
        "not a known field",
        "a key of 100,000 characters: the message quotes a little",
        lambda d: d["plan"].update({"k" * 100_000: 1}),
    )
    variant(
        "zero-width.json",
        "invisible",
        "a zero-width space in a name",
        lambda d: d["bodies"][0].update(name="Any\u200btown Council"),
    )


def return_cases() -> None:
    import openpyxl

    folder = HERE / "returns"
    folder.mkdir(exist_ok=True)
    sent = folder / "_sent.xlsx"
    export_workbook(worked_example(), sent)

    def edited(name, expect, why, edit):
        wb = openpyxl.load_workbook(sent)
        edit(wb)
        wb.save(folder / name)
        case("return", f"returns/{name}", expect, why)

    def raw(name, expect, why, data: bytes):
        (folder / name).write_bytes(data)
        case("return", f"returns/{name}", expect, why)

    edited("unchanged.xlsx", "ok", "returned as sent", lambda wb: None)
    edited(
        "signed.xlsx",
        "ok",
        "approved with a date",
        lambda wb: (
            wb["Sign-off"].__setitem__("E5", "Approved"),
            wb["Sign-off"].__setitem__("F5", SIGNED),
            wb["Sign-off"].__setitem__("F5", "01/03/2026"),
        ),
    )
    edited(
        "formula.xlsx",
        "formula",
        "a formula over a value",
        lambda wb: wb["Contributions"].__setitem__("D5", "=SUM(1,2)"),
    )
    edited(
        "text.xlsx",
        "where an amount belongs",
        "text for a number",
        lambda wb: wb["Contributions"].__setitem__("D5", "one million"),
    )
    edited(
        "nan.xlsx",
        "where an amount belongs",
        "NaN typed as text",
        lambda wb: wb["Contributions"].__setitem__("D5", "NaN"),
    )
    edited(
        "negative.xlsx",
        "negative",
        "a negative amount",
        lambda wb: wb["Contributions"].__setitem__("D5", -5),
    )
    edited(
        "total-overwritten.xlsx",
        "is a total",
        "a number over a total",
        lambda wb: wb["Contributions"].__setitem__("F5", 5),
    )
    edited(
        "renamed.xlsx",
        "no 'Sign-off' sheet",
        "a renamed sheet",
        lambda wb: setattr(wb["Sign-off"], "title", "Signatures"),
    )
    edited(
        "bad-decision.xlsx",
        "a decision is",
        "an unknown decision",
        lambda wb: wb["Sign-off"].__setitem__("E5", '=HYPERLINK("http://x","ok")'),
    )
    edited(
        "huge.xlsx",
        "check the zeros",
        "200bn in a cell",
        lambda wb: wb["Contributions"].__setitem__("D5", 200_000_000_000),
    )
    edited(
        "long-signatory.xlsx",
        "the limit is 200",
        "a 300-character signatory",
        lambda wb: (
            wb["Sign-off"].__setitem__("E5", "Approved"),
            wb["Sign-off"].__setitem__("F5", SIGNED),
            wb["Sign-off"].__setitem__("C5", "x" * 300),
        ),
    )

    def forged(wb):
        # The signer's sheet renamed with a look-alike hyphen, and a very hidden "Sign-off"
        # that approves for everyone.
        real = wb["Sign-off"]
        fake = wb.copy_worksheet(real)
        real.title = "Sign\u2011off"
        fake.title = "Sign-off"
        fake.sheet_state = "veryHidden"
        for r in range(5, 5 + 4):
            fake[f"E{r}"] = "Approved"

    edited("hidden-sign-off.xlsx", "hidden", "a very hidden sheet named Sign-off", forged)

    def cell_as(name, expect, why, xml_value: bytes):
        # A number cell holding what no spreadsheet writes there (openpyxl cannot save it).
        with zipfile.ZipFile(sent) as src, zipfile.ZipFile(folder / name, "w") as z:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == f"xl/worksheets/sheet{CONTRIBUTIONS}.xml":
                    data, n = re.subn(
                        rb'(<c r="D5"[^>]*>)<v>[^<]*</v>', rb"\1<v>" + xml_value + rb"</v>", data
                    )
                    assert n == 1
                z.writestr(item, data)
        case("return", f"returns/{name}", expect, why)

    cell_as("nan-number.xlsx", "no spreadsheet writes", "a number cell holding nan", b"nan")
    cell_as("overflow-number.xlsx", "usable number", "a number cell holding 1e999", b"1e999")
    edited(
        "row-added.xlsx",
        "has a row added",
        "a body's row added under the contributions",
        lambda wb: (
            wb["Contributions"].__setitem__("A9", "Anytown Fire"),
            wb["Contributions"].__setitem__("C9", 5),
        ),
    )
    edited(
        "hidden-contributions.xlsx",
        "hidden",
        "the Contributions sheet hidden",
        lambda wb: setattr(wb["Contributions"], "sheet_state", "hidden"),
    )
    edited(
        "look-alike-hyphen.xlsx",
        "no 'Sign-off' sheet",
        "the Sign-off tab renamed with a non-breaking hyphen",
        lambda wb: setattr(wb["Sign-off"], "title", "Sign\u2011off"),
    )
    edited(
        "override-in-signatory.xlsx",
        "invisible",
        "a right-to-left override in a signatory's name",
        lambda wb: (
            wb["Sign-off"].__setitem__("E5", "Approved"),
            wb["Sign-off"].__setitem__("F5", SIGNED),
            wb["Sign-off"].__setitem__("C5", "A. Fin\u202eecna"),
        ),
    )
    edited(
        "markup-signatory.xlsx",
        "ok",
        "a signatory typed as HTML is only text",
        lambda wb: (
            wb["Sign-off"].__setitem__("E5", "Approved"),
            wb["Sign-off"].__setitem__("F5", SIGNED),
            wb["Sign-off"].__setitem__("C5", "<h1>All partners have signed</h1>"),
        ),
    )
    edited(
        "controls-in-an-amount.xlsx",
        "where an amount belongs",
        "C1 controls and an override in an amount's cell, to be escaped in the message",
        lambda wb: wb["Contributions"].__setitem__(
            "D5", "x\x9b2J\x9b1;31mALL PARTNERS SIGNED\u202e"
        ),
    )
    edited(
        "long-text-over-a-total.xlsx",
        "is a total",
        "300,000 characters typed over a total: the message quotes a little",
        lambda wb: wb["Contributions"].__setitem__("F5", "gSNnzx" * 50_000),
    )

    # The workbook part's zip entries (local and central) marked encrypted, as zipfile cannot
    # write them: its general-purpose flags are bytes 6 and 8 of the two headers.
    data = bytearray(sent.read_bytes())
    name = b"xl/workbook.xml"
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if flags == 6 else 46)
            if data[name_at : name_at + len(name)] == name:
                data[at + flags] |= 0x1
            at += 4
    raw("password.xlsx", "protected with a password", "a part marked encrypted", bytes(data))
    with zipfile.ZipFile(sent) as z:
        parts = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(folder / "twice.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info.filename, data)
        z.writestr(
            "xl/workbook.xml", parts[[i.filename for i, _ in parts].index("xl/workbook.xml")][1]
        )
    case("return", "returns/twice.xlsx", "two parts of the same name", "a zip part twice")
    raw("not-a-zip.xlsx", "not an Excel workbook", "a text file", b"Dear colleague")
    raw(
        "excel-97.xlsx",
        r"older Excel file \(\.xls\).*save it as an Excel Workbook",
        "an Excel 97-2003 file, as a partner's old Excel saves it",
        bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504),
    )
    with zipfile.ZipFile(folder / "libreoffice.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    case(
        "return",
        "returns/libreoffice.xlsx",
        r"LibreOffice spreadsheet \(\.ods\).*save it as an Excel Workbook",
        "an OpenDocument spreadsheet, as LibreOffice saves it by default",
    )
    raw(
        "truncated.xlsx",
        "not an Excel workbook|damaged|could not be read",
        "cut short",
        sent.read_bytes()[:3000],
    )
    with zipfile.ZipFile(folder / "zip-bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<a/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 30_000_000)
    case("return", "returns/zip-bomb.xlsx", "zip bomb", "expands 30 MB from a few KB")
    src = zipfile.ZipFile(sent)
    with zipfile.ZipFile(folder / "entities.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + body
                )
            z.writestr(item, data)
    case("return", "returns/entities.xlsx", "entity", "billion-laughs style entities")
    export_workbook(appraisal_example(), folder / "other-plan.xlsx")
    case("return", "returns/other-plan.xlsx", "does not come from this plan", "another plan")
    sent.unlink()


def cell_cases() -> None:
    cells = [
        ("1,250,000", "ok"),
        ("£1.25m", "ok"),
        ("1250k", "ok"),
        ("", "ok"),
        ("1e6", "not an amount"),
        ("NaN", "not an amount"),
        ("inf", "not an amount"),
        ("-inf", "not an amount"),
        ("-5", "negative"),
        ("(500)", "negative"),
        ("999bn", "zeros"),
        ("9" * 40, "zeros"),
        ("12.345", "fractions of a penny"),
        ("\u0661\u0662\u0663", "not an amount"),
        ("\u202e123", "not an amount"),
        ("\U0001f4b75", "not an amount"),
        ("=1+1", "not an amount"),
        ("£", "not an amount"),
        ("1,25,000", "not an amount"),
    ]
    for i, (text, expect) in enumerate(cells):
        manifest.append(
            {"kind": "cell", "value": text, "expect": expect, "why": f"typed amount {i}"}
        )


if __name__ == "__main__":
    plans()
    json_cases()
    return_cases()
    cell_cases()
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{len(manifest)} cases")
