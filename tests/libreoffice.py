"""Have LibreOffice open a workbook headless, recompute every formula and save the results, as
Excel would on opening; the tests then read the computed values with openpyxl."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

# Always recalculate on load: otherwise LibreOffice keeps any cached results.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, work: Path, to: str = "xlsx") -> Path:
    """``src`` converted (and so recomputed) by LibreOffice into ``work``. Each call has its own
    profile: two conversions sharing one can silently write nothing."""
    profile = work / f"profile-{src.stem}-{to}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE)
    out = work / f"out-{to}"
    out.mkdir(exist_ok=True)
    run = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    result = out / f"{src.stem}.{to}"
    if not result.exists():
        raise RuntimeError(
            f"LibreOffice wrote nothing (exit {run.returncode}): {run.stdout} {run.stderr}"
        )
    return result
