#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Secret Service path of the sync client against a real one: a private
# session bus (dbus-run-session) with gnome-keyring-daemon, its login
# keyring made and unlocked with a test password, then the keyring case of
# test-sync-client (token kept in the keyring, no file; found again by a
# fresh client; the file fallback says why). Skips (77) without the daemon.
#   test-keyring.sh TEST-SYNC-CLIENT TSUNAGU-SERVER
set -eu
client=$1
server=$2
if ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-run-session >/dev/null 2>&1; then
  echo "1..0 # SKIP gnome-keyring-daemon or dbus-run-session missing"
  exit 77
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS
dbus-run-session -- sh -eu -c '
  printf "%s" "tsunagu-test-password" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  keyring=$!
  # The daemon owns org.freedesktop.secrets once it is ready.
  for i in $(seq 1 50); do
    if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
         --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true; then
      break
    fi
    sleep 0.1
  done
  status=0
  TSU_TEST_KEYRING=1 "$1" "$2" -p /sync/client/keyring || status=$?
  kill "$keyring" 2>/dev/null || true
  wait "$keyring" 2>/dev/null || true
  exit $status
' sh "$client" "$server"
