#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of the app in Japanese with the demo data, for the README and
# for looking at it as a person would:
#   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
#     tests/counter/screenshots/shoot.sh BUILDDIR OUTDIR [WIDTHxHEIGHT]
# Writes counter.png, events.png and network.png.
# (the counter, its events and the network, with the demo data).
# The start-up is tests/app/screenshots/shoot.sh's, with this folder's driver.
here=$(dirname "$(realpath "$0")")
TSU_DRIVE=$here/drive-counter.py exec "$here/../../app/screenshots/shoot.sh" "$@"
