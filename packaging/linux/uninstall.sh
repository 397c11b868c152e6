#!/usr/bin/env bash
# Removes what install.sh put in this user's ~/.local/share. The user's plans, settings and
# logs (~/.local/share/Pool Planner, ~/.config/Pool Planner) are theirs and stay.
set -euo pipefail

data="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -rf "$data/poolplanner" "$data/poolplanner.new"
rm -f "$data/applications/poolplanner.desktop" "$data/mime/packages/poolplanner.xml"
for dir in "$data"/icons/hicolor/*/; do
  rm -f "$dir/apps/poolplanner.png" "$dir/apps/poolplanner.svg" \
    "$dir/mimetypes/application-x-poolplanner.png" "$dir/mimetypes/application-x-poolplanner.svg"
done
command -v update-mime-database >/dev/null && [[ -d "$data/mime" ]] && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && [[ -d "$data/applications" ]] && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && [[ -d "$data/icons/hicolor" ]] && gtk-update-icon-cache -q -t -f "$data/icons/hicolor" || true
echo "Pool Planner removed (your plans in $data/Pool Planner are kept)"
