#!/usr/bin/env bash
# Installs the built Pool Planner for this user only (no root): the app folder in
# ~/.local/share/poolplanner/, a menu entry, the .poolplan file type (double-click opens it) and
# the icons. Usage: install.sh [APP_FOLDER]  (default: this script's folder when it is the built
# app's, else dist/poolplanner of the repository). Run again to upgrade; uninstall.sh removes it.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
if [[ $# -ge 1 ]]; then src="$1"
elif [[ -x "$here/poolplanner" ]]; then src="$here"
else src="$here/../../dist/poolplanner"; fi
src="$(cd "$src" && pwd)"
[[ -x "$src/poolplanner" ]] || { echo "install.sh: no built app in $src (run packaging/build)" >&2; exit 1; }

data="${XDG_DATA_HOME:-$HOME/.local/share}"
dest="$data/poolplanner"
icons="$src/_internal/resources/icons"
mime=application/x-poolplanner

# The folder: copied beside, then swapped in, so a failed copy leaves the old install working.
mkdir -p "$data"
rm -rf "$dest.new"
cp -a "$src" "$dest.new"
cp "$here/uninstall.sh" "$dest.new/uninstall.sh" 2>/dev/null || true
rm -rf "$dest"
mv "$dest.new" "$dest"

# Icons: the app's, and the same for its files.
for png in "$icons"/poolplanner-*.png; do
  size="${png##*-}"; size="${size%.png}"
  for kind in apps mimetypes; do mkdir -p "$data/icons/hicolor/${size}x${size}/$kind"; done
  cp "$png" "$data/icons/hicolor/${size}x${size}/apps/poolplanner.png"
  cp "$png" "$data/icons/hicolor/${size}x${size}/mimetypes/application-x-poolplanner.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps" "$data/icons/hicolor/scalable/mimetypes"
cp "$icons/poolplanner.svg" "$data/icons/hicolor/scalable/apps/poolplanner.svg"
cp "$icons/poolplanner.svg" "$data/icons/hicolor/scalable/mimetypes/application-x-poolplanner.svg"

# The file type: by name, and by content (an SQLite file whose application_id, the big-endian
# word at offset 68, is 0x50506C6E, as planner/store/schema.py writes it), so a plan renamed
# or mailed without its extension is still known.
mkdir -p "$data/mime/packages"
cat > "$data/mime/packages/poolplanner.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="$mime">
    <comment>Pool Planner plan</comment>
    <sub-class-of type="application/vnd.sqlite3"/>
    <icon name="application-x-poolplanner"/>
    <glob pattern="*.poolplan"/>
    <magic priority="60">
      <match type="string" offset="0" value="SQLite format 3\\0">
        <match type="big32" offset="68" value="0x50506C6E"/>
      </match>
    </magic>
  </mime-type>
</mime-info>
XML

# The menu entry. Exec needs an absolute path; %f is the plan double-clicked. The path is quoted
# as the Desktop Entry spec says: inside the quotes ", `, $ and \ take a backslash, which, the
# value being a string, is itself written \\; a % is %%. TryExec is a plain string.
exec_path="$(printf '%s' "$dest/poolplanner" | sed -e 's/[\\]/\\\\\\\\/g' -e 's/["`$]/\\\\&/g' -e 's/%/%%/g')"
try_path="$(printf '%s' "$dest/poolplanner" | sed -e 's/[\\]/\\\\/g')"
mkdir -p "$data/applications"
cat > "$data/applications/poolplanner.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Version=1.0
Name=Pool Planner
GenericName=Pooled budget planner
Comment=Plan pooled public budgets across councils, NHS, police and other partners
Exec="$exec_path" %f
TryExec=$try_path
Icon=poolplanner
Terminal=false
Categories=Office;Finance;
MimeType=$mime;
StartupWMClass=poolplanner
DESKTOP

command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f "$data/icons/hicolor" || true
echo "Pool Planner installed in $dest (menu: Pool Planner; uninstall: $dest/uninstall.sh)"
