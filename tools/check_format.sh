#!/usr/bin/env bash
# The format check of CI: every tracked C++ file follows .clang-format (clang-format 14), except the
# older files listed in tools/format-pending.txt, which were written before the check. A listed file
# that is now formatted fails the check too, so the list only shrinks: format a file when you change
# it and take it off the list. Usage: tools/check_format.sh [repository root]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$format" ] || { echo "clang-format-14 is not installed (./setup.sh installs it)"; exit 1; }
pending=tools/format-pending.txt
status=0
while IFS= read -r file; do
  if grep -qxF "$file" "$pending"; then
    if "$format" --dry-run --Werror "$file" > /dev/null 2>&1; then
      echo "$file is formatted now: take it off $pending"
      status=1
    fi
  elif ! "$format" --dry-run --Werror "$file" > /dev/null 2>&1; then
    echo "$file does not follow .clang-format (run: $format -i $file)"
    status=1
  fi
done < <(git ls-files '*.cpp' '*.h')
while IFS= read -r file; do
  [ -e "$file" ] || { echo "$pending lists $file, which is gone"; status=1; }
done < "$pending"
[ $status -eq 0 ] && echo "format: $(git ls-files '*.cpp' '*.h' | wc -l) files checked, $(wc -l < "$pending") pending"
exit $status
