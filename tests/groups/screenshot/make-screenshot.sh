#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes data/screenshots/groups.png: the groups view in Japanese with the
# demo data, a search typed in hiragana and the first result opened.
#   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
#     tests/groups/screenshot/make-screenshot.sh BUILDDIR OUT.png
set -e
build=$(realpath "$1")
out=$2
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR=$build/data TSUNAGU_LOCALEDIR=$build/po GSK_RENDERER=cairo
export LANG=ja_JP.UTF-8 LANGUAGE=ja
mkdir -p "$tmp/config/gtk-4.0"
printf '[Settings]\ngtk-enable-animations=false\ngtk-cursor-blink=false\n' > "$tmp/config/gtk-4.0/settings.ini"
"$build/src/app/tsunagu" --demo &
app=$!
for i in $(seq 1 60); do
  xwininfo -root -tree 2>/dev/null | grep -q -i "tsunagu" && break
  sleep 0.5
done
sleep 3
/usr/bin/python3 "$here/drive.py" $app
import -window root "$out"
kill $app
rm -rf "$tmp"
