#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The long durability run: tsunagu-server SIGKILLed during a stream of
# pushes ROUNDS times (default 2000); every acknowledged push must survive,
# none twice. The suite runs 100 rounds (tests/sync/test-durability.py).
#   bench/sync/durability-long.sh build/src/server/tsunagu-server [ROUNDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TSU_DURABILITY_ROUNDS=${2:-2000} exec python3 "$here/../../tests/sync/test-durability.py" "$1"
