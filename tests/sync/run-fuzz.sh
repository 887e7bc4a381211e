#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harness (fuzz-push.c) with clang and runs it.
#   tests/sync/run-fuzz.sh SOURCE_ROOT BUILD_ROOT [SECONDS] [CORPUS_DIR]
# In the test suite it runs briefly (20 s); for a long run:
#   tests/sync/run-fuzz.sh . build 3600 /var/tmp/tsu-fuzz-corpus
# Exit 77 (skipped) only when clang or its fuzzer runtime is missing.
set -eu
src=$(cd "$1" && pwd); build=$(cd "$2" && pwd); secs=${3:-20}; corpus=${4:-}
command -v clang >/dev/null || { echo "clang not installed: skipped"; exit 77; }

work=$(mktemp -d /tmp/tsu-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' > "$work/probe.c"
clang -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" 2>/dev/null \
  || { echo "clang has no libFuzzer runtime (libclang-rt-dev): skipped"; exit 77; }

pkgs="glib-2.0 gio-2.0 json-glib-1.0 sqlite3 libsoup-3.0 libsecret-1"
# The request path is instrumented; the rest of the core comes from the
# library meson built.
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$build" -I"$src/src/core" -I"$src/src/core/sync" -I"$src/src/core/groups" -I"$src/src/server" \
  $(pkg-config --cflags $pkgs) \
  "$src/tests/sync/fuzz-push.c" "$src/src/server/tsu-org-db.c" "$src/src/server/tsu-storage-sqlite.c" \
  "$src/src/core/sync/tsu-json-check.c" "$src/src/core/sync/tsu-sync-codec.c" \
  -Wl,--start-group "$build/src/core/libtsunagu-core.a" $(pkg-config --libs $pkgs) -lm -Wl,--end-group \
  -o "$work/fuzz-push"

# Seeds: well-formed pushes and resolutions, plus JSONTestSuite when present.
mkdir -p "$work/seeds"
id=01900000-0000-7000-8000-000000000001
printf '{"mutations":[{"seq":1,"collection":"groups","id":"%s","op":"insert","base_rev":0,"fields":{"name":"a","members_total":3}}]}' $id > "$work/seeds/insert"
printf '{"mutations":[{"seq":2,"collection":"groups","id":"%s","op":"update","base_rev":1,"fields":{"name":"b"},"old":{"name":"a"}},{"seq":3,"collection":"groups","id":"%s","op":"delete","base_rev":1}]}' $id $id > "$work/seeds/update"
printf '{"id":"%s","choice":"take"}' $id > "$work/seeds/resolve"
if [ -n "${TSU_SHARED_DATA:-}" ] && [ -d "$TSU_SHARED_DATA/json-test-suite" ]; then
  cp "$TSU_SHARED_DATA"/json-test-suite/*.json "$work/seeds/"
fi
if [ -z "$corpus" ]; then corpus="$work/corpus"; fi
mkdir -p "$corpus"

cd "$work"
# G_DEBUG from the test environment would make any critical fatal: good.
"$work/fuzz-push" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 "$corpus" "$work/seeds" 2>&1 | tail -n 25
status=${PIPESTATUS[0]}
echo "fuzz-push exit status $status"
exit "$status"
