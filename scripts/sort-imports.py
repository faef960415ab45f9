#!/usr/bin/env python3
"""Put the imports of Java files in the order Spring's checkstyle rules want.

Groups, separated by one blank line, each sorted name by name: java.*, javax.*, everything
else, org.springframework.*, then static imports. Duplicate imports are dropped. Files whose
import block holds anything but imports and blank lines are left alone and named.

    scripts/sort-imports.py pool-spring-boot-autoconfigure/src shapes benchmarks/src ...
"""
import pathlib
import re
import sys

GROUPS = ("java.", "javax.", None, "org.springframework.")
IMPORT = re.compile(r"^import\s+(static\s+)?([\w.*]+)\s*;$")


def group(name):
    for index, prefix in enumerate(GROUPS):
        if prefix is not None and name.startswith(prefix):
            return index
    return GROUPS.index(None)


def ordered(block):
    normal, static = [], []
    for line in sorted({line.strip() for line in block if line.strip()}):
        match = IMPORT.match(line)
        if not match:
            return None
        (static if match.group(1) else normal).append(match.group(2))
    lines = []
    for index in range(len(GROUPS)):
        names = sorted((name for name in normal if group(name) == index), key=lambda name: name.split("."))
        if names:
            lines += [""] if lines else []
            lines += ["import " + name + ";" for name in names]
    if static:
        lines += [""] if lines else []
        lines += ["import static " + name + ";" for name in sorted(static, key=lambda name: name.split("."))]
    return lines


def main(roots):
    changed = 0
    for root in roots:
        for path in sorted(pathlib.Path(root).rglob("*.java")):
            if "target" in path.parts:
                continue
            lines = path.read_text().split("\n")
            indexes = [i for i, line in enumerate(lines) if line.startswith("import ")]
            if not indexes:
                continue
            first, last = indexes[0], indexes[-1]
            block = lines[first:last + 1]
            result = ordered(block)
            if result is None:
                print("left alone (not only imports in the import block):", path)
            elif result != block:
                lines[first:last + 1] = result
                path.write_text("\n".join(lines))
                changed += 1
    print(changed, "file(s) changed")


if __name__ == "__main__":
    main(sys.argv[1:] or ["."])
