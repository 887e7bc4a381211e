#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds a libFuzzer harness of src/core/jp with clang (ASan + UBSan) and
# runs it for a while.
#   tests/jp/fuzz.sh csv|date SECONDS [BUILD_ROOT]
# The test suite runs it for a few seconds (jp-fuzz-csv, jp-fuzz-date); for a
# longer run:  tests/jp/fuzz.sh csv 600   (corpus kept in $TSU_FUZZ_CORPUS or
# a temporary directory). Exit 77 (skipped) when clang is not installed.
set -eu

target=${1:?csv or date}
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${3:-${TSU_BUILD_ROOT:-}}

command -v clang >/dev/null 2>&1 || { echo "clang not found: skipped"; exit 77; }

case "$target" in
  csv) sources="$src/src/core/jp/tsu-csv.c" ;;
  date) sources="$src/src/core/jp/tsu-date.c" ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/tsu-fuzz-$target-XXXXXX")
trap 'rm -rf "$work"' EXIT

# config.h: the build's when there is one, else a minimal one.
if [ -n "$build" ] && [ -f "$build/config.h" ]; then
  cp "$build/config.h" "$work/config.h"
else
  printf '#define GETTEXT_PACKAGE "tsunagu"\n' > "$work/config.h"
fi

# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$work" -I"$src/src/core/jp" $(pkg-config --cflags glib-2.0) \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
  "$here/fuzz-$target.c" $sources $(pkg-config --libs glib-2.0) \
  -o "$work/fuzz-$target"

corpus=${TSU_FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus"
# Seeds: the project's CSV fixtures, or a few dates.
if [ "$target" = csv ]; then
  cp "$here"/data/*.csv "$corpus"/ 2>/dev/null || true
else
  for s in "2026年4月1日(水)" "令和8年4月1日(水)" "2026年(令和8年)4月1日(水)" \
           "R8.4.1" "H31.4.30" "２０２６／４／１" "平成元年1月8日" "2026-04-01"; do
    printf '%s' "$s" > "$corpus/$(printf '%s' "$s" | cksum | cut -d' ' -f1)"
  done
fi

export G_SLICE=always-malloc
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
# Crash inputs are kept (the work directory is not).
artifacts=${TSU_FUZZ_ARTIFACTS:-${TMPDIR:-/tmp}}
status=0
"$work/fuzz-$target" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 \
  -artifact_prefix="$artifacts/tsu-fuzz-$target-" -print_final_stats=1 "$corpus" \
  > "$work/log" 2>&1 || status=$?
tail -n 40 "$work/log"
exit $status
