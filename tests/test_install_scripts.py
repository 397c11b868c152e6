"""packaging/linux/install.sh and uninstall.sh, per user, on a stand-in for the built app (the
scripts copy a folder; what is in it does not matter to them): what they write, the menu
entry's quoting of a hostile path, and that uninstalling leaves the user's folder as it was."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LINUX = ROOT / "packaging" / "linux"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@pytest.fixture
def app(tmp_path):
    """A folder shaped like dist/poolplanner: an executable and the icons."""
    folder = tmp_path / "dist" / "poolplanner"
    (folder / "_internal" / "resources").mkdir(parents=True)
    shutil.copytree(ROOT / "resources" / "icons", folder / "_internal" / "resources" / "icons")
    exe = folder / "poolplanner"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return folder


def _run(script: Path, home: Path, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    return subprocess.run(
        ["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=60
    )


def _files(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*")}


def _desktop_value(text: str, key: str) -> str:
    return next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith(key + "="))


def _exec_argument(value: str) -> str:
    """The program of an Exec value, read back as the Desktop Entry spec says: the string's
    escapes first, then the quoted argument's, and %% as %."""
    assert value.endswith(" %f") and value.startswith('"')
    quoted = value[: -len(" %f")]
    assert quoted.endswith('"')
    string = quoted[1:-1].replace("\\\\", "\x00")  # the string value's escape of a backslash
    out, i = [], 0
    while i < len(string):
        c = string[i]
        if c == "\x00":  # a backslash: it escapes the next of " ` $ \
            nxt = string[i + 1]
            out.append("\\" if nxt == "\x00" else nxt)
            assert nxt in '"`$\x00', f"stray backslash before {nxt!r}"
            i += 2
            continue
        assert c not in '"`$', f"unescaped {c!r} in {value!r}"
        if c == "%":
            assert string[i + 1] == "%"
            i += 1
        out.append(c)
        i += 1
    return "".join(out)


def test_install_then_uninstall_leaves_the_folder_as_it_was(app, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    before = _files(home)
    done = _run(LINUX / "install.sh", home, str(app))
    assert done.returncode == 0, done.stderr
    data = home / ".local" / "share"
    assert (data / "poolplanner" / "poolplanner").exists()
    assert (data / "poolplanner" / "uninstall.sh").exists()
    desktop = (data / "applications" / "poolplanner.desktop").read_text()
    assert "MimeType=application/x-poolplanner;" in desktop
    mime = (data / "mime" / "packages" / "poolplanner.xml").read_text()
    assert '<glob pattern="*.poolplan"/>' in mime and "0x50506C6E" in mime
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "poolplanner.png").exists()
    again = _run(LINUX / "install.sh", home, str(app))  # an upgrade: the same files
    assert again.returncode == 0 and (data / "poolplanner" / "poolplanner").exists()
    gone = _run(data / "poolplanner" / "uninstall.sh", home)
    assert gone.returncode == 0, gone.stderr
    assert "removed" in gone.stdout
    assert _files(home) - before <= {".local", ".local/share"}


def test_uninstall_keeps_what_is_the_users_and_says_when_there_is_nothing(app, tmp_path):
    home = tmp_path / "home"
    apps = home / ".local" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / "other.desktop").write_text("[Desktop Entry]\nType=Application\nName=Other\n")
    plans = home / ".local" / "share" / "Pool Planner"
    plans.mkdir()
    (plans / "mine.poolplan").write_bytes(b"a plan")
    assert _run(LINUX / "install.sh", home, str(app)).returncode == 0
    assert _run(LINUX / "uninstall.sh", home).returncode == 0
    assert (apps / "other.desktop").exists() and (plans / "mine.poolplan").exists()
    assert not (apps / "poolplanner.desktop").exists()
    twice = _run(LINUX / "uninstall.sh", home)
    assert twice.returncode == 0
    assert "not installed" in twice.stdout and "nothing was removed" in twice.stdout


@pytest.mark.parametrize("name", ["plain home", "h$x 100%", 'h`q"\\z'])
def test_the_menu_entry_quotes_the_path_as_the_spec_says(app, tmp_path, name):
    home = tmp_path / name
    home.mkdir()
    assert _run(LINUX / "install.sh", home, str(app)).returncode == 0
    entry = home / ".local" / "share" / "applications" / "poolplanner.desktop"
    text = entry.read_text()
    program = str(home / ".local" / "share" / "poolplanner" / "poolplanner")
    assert _exec_argument(_desktop_value(text, "Exec")) == program
    assert _desktop_value(text, "TryExec").replace("\\\\", "\\") == program
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
