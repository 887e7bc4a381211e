#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of the app in Japanese with the demo data, for the README and
# for looking at it as a person would:
#   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
#     tests/app/screenshots/shoot.sh BUILDDIR OUTDIR [WIDTHxHEIGHT]
# Writes list.png, read.png, edit.png, certificate.pdf,
# grants.png, grants-programme.png, funders.png (and narrow-*.png when the
# size is narrow).  TSU_DRIVE=DRIVER runs another driver (a name in this
# folder, or a path: tests/counter/screenshots/shoot.sh passes its own);
# the drivers share tests/shotdriver.py.
set -e
build=$(realpath "$1")
out=$(realpath "$2")
size=${3:-1280x800}
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config GSETTINGS_BACKEND=keyfile
export GSETTINGS_SCHEMA_DIR=$build/data TSUNAGU_LOCALEDIR=$build/po GSK_RENDERER=cairo
export LANG=ja_JP.UTF-8 LANGUAGE=ja LC_ALL=ja_JP.UTF-8
mkdir -p "$tmp/config/gtk-4.0" "$tmp/config/glib-2.0/settings" "$out"
rm -f "$out/certificate.pdf"
# The window's size, through the settings it restores.
printf '[io/github/tsunagu/Tsunagu]\nwindow-width=%s\nwindow-height=%s\nstaff-name=%s\n' \
  "${size%x*}" "${size#*x}" "'窓口 花子'" > "$tmp/config/glib-2.0/settings/keyfile"
printf '[Settings]\ngtk-enable-animations=false\ngtk-cursor-blink=false\n' > "$tmp/config/gtk-4.0/settings.ini"
${TSU_WRAP:-} "$build/src/app/tsunagu" --demo &
app=$!
for i in $(seq 1 60); do
  xwininfo -root -tree 2>/dev/null | grep -q -i "つなぐ\|tsunagu" && break
  sleep 0.5
done
sleep 2
drive=${TSU_DRIVE:-drive.py}
case $drive in /*) ;; *) drive=$here/$drive ;; esac
/usr/bin/python3 -u "$drive" "$app" "$out" "$size" "$tmp" "$build/src/app/tsunagu" || true
kill $app 2>/dev/null || true
wait $app 2>/dev/null || true
rm -rf "$tmp"
