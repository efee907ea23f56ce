#!/usr/bin/env bash
# The format check of CI: every tracked C++ file follows .clang-format (clang-format 14).
# Usage: tools/check_format.sh [repository root]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$format" ] || { echo "clang-format-14 is not installed (./setup.sh installs it)"; exit 1; }
status=0
while IFS= read -r file; do
  if ! "$format" --dry-run --Werror "$file" > /dev/null 2>&1; then
    echo "$file does not follow .clang-format (run: $format -i $file)"
    status=1
  fi
done < <(git ls-files '*.cpp' '*.h')
[ $status -eq 0 ] && echo "format: $(git ls-files '*.cpp' '*.h' | wc -l) files checked"
exit $status
