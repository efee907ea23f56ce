#!/usr/bin/env python3
"""Every relative link and image in README.md and docs/*.md points to a file that exists, and the
README stays a first look (at most 120 lines).

    check_doc_links.py REPOSITORY_ROOT

Prints one line per broken link (file, line, target) and exits 1 if there is any."""
import glob
import os
import re
import sys

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def main():
    root = sys.argv[1]
    pages = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    broken = []
    for page in pages:
        for number, line in enumerate(open(page, encoding="utf-8"), 1):
            for target in LINK.findall(line):
                if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                    continue  # web addresses and anchors
                path = os.path.normpath(os.path.join(os.path.dirname(page), target.split("#")[0]))
                if not os.path.exists(path):
                    broken.append(f"{os.path.relpath(page, root)}:{number}: {target}")
    readme_lines = sum(1 for _ in open(os.path.join(root, "README.md"), encoding="utf-8"))
    if readme_lines > 120:
        broken.append(f"README.md has {readme_lines} lines: a first look fits in 120 (move details to docs/)")
    for b in broken:
        print(b)
    if broken:
        sys.exit(1)
    print(f"ok {len(pages)} pages, every link resolves; README {readme_lines} lines")


if __name__ == "__main__":
    main()
