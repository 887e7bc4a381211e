#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One format for all C: every tracked .c/.h must be as clang-format 14 (Debian 12) writes it
# with the project's .clang-format. Run `git ls-files '*.c' '*.h' | xargs clang-format -i`
# to fix. Other major versions format differently, so they skip rather than fail.
set -u
top=${1:?usage: check-format.sh SOURCE_ROOT}
cd "$top" || exit 1
cf=$(command -v clang-format-14 || command -v clang-format) || { echo "clang-format not installed"; exit 77; }
"$cf" --version | grep -q 'version 14\.' || { echo "not clang-format 14: $("$cf" --version)"; exit 77; }
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  files=$(git ls-files '*.c' '*.h')
else
  files=$(find src tests bench -name '*.c' -o -name '*.h')
fi
[ -n "$files" ] || { echo "no C files found"; exit 1; }
# One clang-format process for every file (a process per file took over
# 30 s on a loaded machine); it names each file that differs.
bad=$(echo "$files" | xargs "$cf" --dry-run --Werror 2>&1 | grep -o '^[^:]*\.[ch]:' | sort -u | sed 's/:$//')
for f in $bad; do
  echo "not formatted: $f"
done
n=$(echo "$bad" | grep -c . || true)
echo "$(echo "$files" | wc -w) files checked, $n not formatted"
[ "$n" -eq 0 ]
