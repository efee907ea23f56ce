#!/usr/bin/python3
"""Checks that the front-end libraries (ui/, render/) reach no LibTorch header.

The rule (docs/architecture.md): core's public API that a front end holds is free of LibTorch, so
widgets and the VTK scene compile without parsing torch. A file fails when it includes a torch
header itself or through any project header it includes, followed transitively. Quoted includes
are resolved as the build resolves them: next to the including file, then under core/, ui/ and
render/; angle includes outside the project are not followed (only `<torch/...>`, `<ATen/...>`,
`<c10/...>` and `<caffe2/...>` count).

Usage: check_torch_free.py ROOT [FOLDER ...]   (folders default to ui render)
Prints each offending file with the include chain that reaches torch; exit status 1 when any does.
"""
import re
import sys
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
TORCH = re.compile(r"^(torch|ATen|c10|caffe2)/")


def resolve(root, including, name):
    for base in (including.parent, root / "core", root / "ui", root / "render"):
        candidate = base / name
        if candidate.is_file():
            return candidate.resolve()
    return None


def torch_chain(root, path, memo, stack):
    """The include chain from `path` to a torch header, or None."""
    if path in memo:
        return memo[path]
    if path in stack:
        return None
    stack.add(path)
    chain = None
    for _, name in INCLUDE.findall(path.read_text(errors="replace")):
        if TORCH.match(name):
            chain = [f"<{name}>"]
            break
        target = resolve(root, path, name)
        if target is None:
            continue
        below = torch_chain(root, target, memo, stack)
        if below:
            chain = [str(target.relative_to(root))] + below
            break
    stack.discard(path)
    memo[path] = chain
    return chain


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    root = Path(argv[1]).resolve()
    folders = argv[2:] or ["ui", "render"]
    memo = {}
    bad = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".h", ".cpp"):
                continue
            chain = torch_chain(root, path.resolve(), memo, set())
            if chain:
                bad.append(f"{path.relative_to(root)}: " + " -> ".join(chain))
    for line in bad:
        print(line)
    if bad:
        print(f"{len(bad)} file(s) in {', '.join(folders)} reach a LibTorch header")
        return 1
    print(f"{', '.join(folders)}: no file reaches a LibTorch header")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
