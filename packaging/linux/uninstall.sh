#!/usr/bin/env bash
# Removes what install.sh put in this user's ~/.local/share, and the folders and file-type
# caches that held only it. The user's plans, settings and logs (~/.local/share/Pool Planner,
# ~/.config/Pool Planner) are theirs and stay.
set -euo pipefail

data="${XDG_DATA_HOME:-$HOME/.local/share}"
if [[ ! -e "$data/poolplanner" && ! -e "$data/applications/poolplanner.desktop" \
      && ! -e "$data/mime/packages/poolplanner.xml" ]]; then
  echo "Pool Planner is not installed for this user (no $data/poolplanner); nothing was removed."
  exit 0
fi
rm -rf "$data/poolplanner" "$data/poolplanner.new"
rm -f "$data/applications/poolplanner.desktop" "$data/mime/packages/poolplanner.xml"
for dir in "$data"/icons/hicolor/*/; do
  rm -f "$dir/apps/poolplanner.png" "$dir/apps/poolplanner.svg" \
    "$dir/mimetypes/application-x-poolplanner.png" "$dir/mimetypes/application-x-poolplanner.svg"
done

# The caches are rebuilt from what is left; where nothing of the user's own is left, the cache
# (made for ours) goes too, and the folders install.sh made that are now empty.
if [[ -d "$data/mime/packages" && -z "$(ls -A "$data/mime/packages")" ]]; then
  rm -rf "$data/mime"
elif command -v update-mime-database >/dev/null && [[ -d "$data/mime" ]]; then
  update-mime-database "$data/mime" || true
fi
if [[ -d "$data/applications" ]] && ! compgen -G "$data/applications/*.desktop" >/dev/null; then
  rm -f "$data/applications/mimeinfo.cache"
elif command -v update-desktop-database >/dev/null && [[ -d "$data/applications" ]]; then
  update-desktop-database -q "$data/applications" || true
fi
if [[ -d "$data/icons/hicolor" ]]; then
  find "$data/icons/hicolor" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  if [[ -z "$(ls -A "$data/icons/hicolor" | grep -v '^icon-theme.cache$' || true)" ]]; then
    rm -rf "$data/icons/hicolor"
  elif command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t -f "$data/icons/hicolor" || true
  fi
fi
for dir in "$data/icons" "$data/applications"; do
  [[ -d "$dir" ]] && rmdir "$dir" 2>/dev/null || true
done
echo "Pool Planner removed (your plans in $data/Pool Planner are kept)"
