#!/usr/bin/env python3
"""The repository stands on its own: no file points to a folder beside it, to section numbers of a
specification it does not hold, or to a path of one particular machine.

    check_references.py SOURCE_DIR      fails (exit 1) listing FILE:LINE: reason for each hit
    check_references.py --self-test     proves the check catches each kind of reference

Text files only; build folders, node_modules and .git are skipped.
"""
import os
import re
import sys
import tempfile

# Built from pieces so that this file does not match itself.
RULES = [
    (re.compile(r"\.\./" + "shared"), "points to a folder outside the repository"),
    (re.compile(r"\bSPEC" + r"(\.md|\s*§)"), "refers to a specification the repository does not hold"),
    (re.compile(r"\bSTYLE" + r"\.md\b"), "refers to a style guide the repository does not hold"),
    (re.compile(r"(?<![\w.])/" + r"(work|home|Users)/[A-Za-z0-9_.-]+/"), "names a path of one particular machine"),
]
SKIP_DIRS = {".git", "node_modules", "__pycache__"}
SKIP_SUFFIXES = (".png", ".jpg", ".svgz", ".qm", ".sqlite", ".ico", ".gz", ".deb")


def skipped_dir(name):
    return name in SKIP_DIRS or name.startswith("build")


def scan(root):
    hits = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not skipped_dir(d))
        for name in sorted(filenames):
            if name.endswith(SKIP_SUFFIXES) or name in SKIP_DIRS:
                continue  # (in a git worktree, .git is a file naming the main checkout)
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8") as f:
                    lines = f.readlines()
            except (UnicodeDecodeError, OSError):
                continue  # binary or unreadable: not text a reader follows
            for number, line in enumerate(lines, 1):
                for pattern, reason in RULES:
                    if pattern.search(line):
                        hits.append(f"{os.path.relpath(path, root)}:{number}: {reason}: {line.strip()}")
    return hits


def self_test():
    bad = {
        "README.md": "See ../" + "shared/notes for the rest.\n",
        "core/a.h": "/// As SPEC" + " §2.7 says.\n",
        "CMakeLists.txt": "# habit 1 of STYLE" + ".md\n",
        "docs/x.md": "run /" + "work/main/build/bench\n",
    }
    good = {"docs/ok.md": "Read docs/PROTOCOL.md; the relay keeps /var/lib/userwallet-relay.\n"}
    with tempfile.TemporaryDirectory() as root:
        for rel, text in {**bad, **good}.items():
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        hits = scan(root)
    found = {h.split(":", 1)[0] for h in hits}
    missing = set(bad) - found
    wrong = found - set(bad)
    if missing or wrong or not all(":1:" in h for h in hits):
        print(f"self-test failed: missed {sorted(missing)}, flagged {sorted(wrong)}: {hits}")
        return 1
    print(f"self-test passed: {len(hits)} planted references found, clean file left alone")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    hits = scan(argv[1])
    for hit in hits:
        print(hit)
    if hits:
        print(f"{len(hits)} reference(s) to things outside the repository; say it in the repository's own words")
        return 1
    print("no reference outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
