#!/usr/bin/env python3
"""Each module includes only the modules it may (the table below, lowest layer first), and the
modules' includes form no cycle.

    check_layers.py SOURCE_DIR      fails (exit 1) listing FILE:LINE: rule broken, for every
                                    forbidden include and every cycle; else prints the module graph
    check_layers.py --self-test     plants a forbidden include, a cycle and a table that differs
                                    from the document in a temporary tree, and checks all are caught

Reads every #include "..." of core/, ui/ and app/. A module is a folder of core/ (core/relay/server
is a module of its own, relay/server), ui/ as a whole, or a folder of app/. An include resolves as
the compiler resolves it: beside the including file, then under core/, then under ui/; one that
resolves to no file of the tree (a generated header such as UserWalletVersion.h) is not a module's.

The ALLOWED table is the one of docs/ARCHITECTURE.md, "## Allowed dependencies"; when that
document is present, the two must agree.
"""
import os
import re
import sys
import tempfile

# Who may include whom, lowest layer first. A module may always include itself;
# "core" stands for every module of core/.
ALLOWED = [
    ("util", []),
    ("crypto", ["util"]),
    ("json", ["util"]),
    ("store", ["util"]),
    ("bitcoin", ["crypto", "util"]),
    ("identity", ["crypto", "json", "store", "util"]),
    ("login", ["identity", "crypto", "json", "util"]),
    ("relay", ["crypto", "json", "util"]),
    ("net", ["util"]),
    ("relay/server", ["relay", "net", "store", "crypto", "json", "util"]),
    ("devices", ["relay", "login", "identity", "crypto", "json", "util"]),
    ("chain", ["bitcoin", "crypto", "util"]),
    ("anchor", ["chain", "bitcoin", "store", "crypto", "util"]),
    ("config", ["util"]),
    ("status", ["chain", "anchor", "config", "util"]),
    ("anchor/server", ["anchor", "net", "chain", "bitcoin", "config", "identity", "crypto", "json", "util"]),
    ("ui", ["core"]),
    ("app/gui", ["ui", "core"]),
    ("app/cli", ["core"]),
    ("app/relay", ["core"]),
    ("app/anchord", ["core"]),
]
TOP_DIRS = ("core", "ui", "app")
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc", ".cxx")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
DOC = os.path.join("docs", "ARCHITECTURE.md")
DOC_HEADING = "## Allowed dependencies"
HEADING = re.compile(r"^#{1,6}\s")
# A row of the document's table: | `module` | may include | holds |
DOC_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|([^|]*)\|")


def core_modules(table):
    return [m for m, _ in table if m != "ui" and not m.startswith("app/")]


def expand(table):
    """module -> set of modules it may include (itself included), "core" expanded."""
    core = core_modules(table)
    out = {}
    for module, deps in table:
        allowed = {module}
        for d in deps:
            allowed.update(core if d == "core" else [d])
        out[module] = allowed
    return out


def module_of(rel, modules):
    """The module of a path relative to the source root, or None outside core/, ui/ and app/."""
    parts = rel.replace(os.sep, "/").split("/")
    if parts[0] == "ui":
        return "ui"
    if parts[0] == "app":
        return "app/" + parts[1] if len(parts) > 2 else "app"
    if parts[0] == "core" and len(parts) > 2:
        # The longest module name that the path starts with (relay/server before relay).
        for depth in range(len(parts) - 2, 0, -1):
            name = "/".join(parts[1 : 1 + depth])
            if name in modules:
                return name
        return parts[1]
    return None


def resolve(root, including_rel, target):
    """The path (relative to root) an include names, as the compiler finds it, or None."""
    candidates = [
        os.path.join(os.path.dirname(including_rel), target),
        os.path.join("core", target),
        os.path.join("ui", target),
    ]
    for c in candidates:
        c = os.path.normpath(c)
        if os.path.isfile(os.path.join(root, c)):
            return c
    return None


def sources(root):
    for top in TOP_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(SOURCE_SUFFIXES):
                    yield os.path.relpath(os.path.join(dirpath, name), root)


def find_cycles(edges):
    """Strongly connected components of more than one module, each as one cycle through it."""
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                sccs.append(sorted(scc))

    for v in nodes:
        if v not in index:
            strong(v)
    cycles = []
    for scc in sorted(sccs):
        # A shortest way back to the first module, through the component only.
        start, members = scc[0], set(scc)
        previous, frontier = {start: None}, [start]
        path = None
        while frontier and path is None:
            following = []
            for v in frontier:
                for w in sorted(edges.get(v, ())):
                    if w == start:
                        path = [v]
                        while previous[path[-1]] is not None:
                            path.append(previous[path[-1]])
                        path.reverse()
                        break
                    if w in members and w not in previous:
                        previous[w] = v
                        following.append(w)
                if path:
                    break
            frontier = following
        cycles.append(path + [start])
    return cycles


def read_doc_table(root):
    """The document's table as module -> (list, line), with problems as FILE:LINE messages;
    None when there is no document."""
    path = os.path.join(root, DOC)
    if not os.path.isfile(path):
        return None, []
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    rows, problems, inside = {}, [], False
    for number, line in enumerate(lines, 1):
        if HEADING.match(line):
            inside = line.strip() == DOC_HEADING
            continue
        match = DOC_ROW.match(line) if inside else None
        if not match:
            continue
        deps = [d.strip().strip("`") for d in match.group(2).split(",")]
        deps = [d for d in deps if d and d not in ("—", "-")]
        rows[match.group(1)] = (deps, number)
    if not rows:
        problems.append(f"{DOC}:1: no table under \"{DOC_HEADING}\" (rows: | `module` | may include | holds |)")
    return rows, problems


def compare_doc(root, table):
    rows, problems = read_doc_table(root)
    if rows is None:
        return []
    mine = dict(table)
    for module, deps in table:
        if module not in rows:
            problems.append(f"{DOC}:1: the table has no row for {module} (check_layers.py allows {fmt(deps)})")
        elif sorted(rows[module][0]) != sorted(deps):
            problems.append(
                f"{DOC}:{rows[module][1]}: {module} may include {fmt(rows[module][0])} here, "
                f"but {fmt(deps)} in check_layers.py: the two tables must be the same"
            )
    for module, (_, number) in sorted(rows.items()):
        if module not in mine:
            problems.append(f"{DOC}:{number}: {module} is not a module of check_layers.py's table")
    return problems


def fmt(deps):
    return ", ".join(deps) if deps else "nothing"


def check(root, table=ALLOWED):
    """Returns (problems, edges): FILE:LINE messages, and module -> {module: first FILE:LINE}."""
    allowed = expand(table)
    core = set(core_modules(table))
    problems, edges, unknown = [], {}, set()
    for rel in sources(root):
        module = module_of(rel, allowed)
        if module is None:
            continue
        if module not in allowed:
            if module not in unknown:
                unknown.add(module)
                problems.append(f"{rel}:1: module {module} is not in the ALLOWED table of check_layers.py")
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
        for number, line in enumerate(lines, 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target_path = resolve(root, rel, match.group(1))
            target = module_of(target_path, allowed) if target_path else None
            if target is None or target == module:
                continue
            where = f"{rel}:{number}"
            edges.setdefault(module, {}).setdefault(target, where)
            if target not in allowed[module]:
                if module in core and (target == "ui" or target.startswith("app")):
                    rule = "core never includes ui or app"
                elif module.startswith("app/") and target == "ui" and "ui" not in allowed[module]:
                    rule = f"{module} uses core only, never ui"
                else:
                    rule = f"{module} may include only {fmt(sorted(allowed[module] - {module}))}"
                problems.append(f"{where}: {module} includes {target} ({match.group(1)}): {rule}")
    for cycle in find_cycles({m: set(ts) for m, ts in edges.items()}):
        steps = [f"{a} -> {b} ({edges[a][b]})" for a, b in zip(cycle, cycle[1:])]
        first = edges[cycle[0]][cycle[1]]
        problems.append(f"{first}: modules include each other: {' -> '.join(cycle)}: " + "; ".join(steps))
    problems += compare_doc(root, table)
    return problems, edges


def graph_lines(edges, table=ALLOWED):
    order = [m for m, _ in table]
    rank = {m: i for i, m in enumerate(order)}
    out = []
    for module in order:
        deps = sorted(edges.get(module, {}), key=lambda d: rank.get(d, len(order)))
        out.append(f"  {module}: {', '.join(deps) if deps else '—'}")
    return out


def self_test():
    planted = {
        # A forbidden include: the protocol layer reaching up into the device flows.
        "core/relay/Pool.h": '#include "devices/Flow.h"\n#include "util/Result.h"\n',
        "core/devices/Flow.h": '#include "relay/Pool.h"\n',
        # A cycle between two modules.
        "core/crypto/Key.h": '#include "json/Canon.h"\n',
        "core/json/Canon.h": '#include "crypto/Key.h"\n',
        # core reaching ui; the CLI reaching ui.
        "core/status/S.cpp": '#include "models/M.h"\n',
        "ui/models/M.h": '#include "status/S.h"\n',
        "core/status/S.h": "",
        "app/cli/main.cpp": '#include "Local.h"\n#include "models/M.h"\n#include "Generated.h"\n',
        "app/cli/Local.h": "",
        "core/util/Result.h": "#include <QString>\n",
    }
    doc = ["# Architecture\n", "\n", DOC_HEADING + "\n", "\n", "| Module | May include | Holds |\n", "|---|---|---|\n"]
    for module, deps in ALLOWED:
        shown = "`crypto`" if module == "bitcoin" else ", ".join(f"`{d}`" for d in deps) or "—"
        doc.append(f"| `{module}` | {shown} | something |\n")
    expected = [
        "core/relay/Pool.h:1: relay includes devices",
        "core/crypto/Key.h:1: crypto includes json",
        "core/json/Canon.h:1: json includes crypto",
        "modules include each other: crypto -> json -> crypto",
        "core/status/S.cpp:1: status includes ui (models/M.h): core never includes ui or app",
        "app/cli/main.cpp:2: app/cli includes ui (models/M.h): app/cli uses core only, never ui",
        f"{DOC}:",  # bitcoin's row differs
    ]
    with tempfile.TemporaryDirectory() as root:
        for rel, text in planted.items():
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        os.makedirs(os.path.join(root, "docs"))
        with open(os.path.join(root, DOC), "w", encoding="utf-8") as f:
            f.writelines(doc)
        problems, edges = check(root)
    failures = [e for e in expected if not any(e in p for p in problems)]
    # The devices -> relay include is allowed; the cycle it closes with relay -> devices is reported.
    if not any("relay -> devices -> relay" in p or "devices -> relay -> devices" in p for p in problems):
        failures.append("the relay/devices cycle")
    if any("Local.h" in p or "Generated.h" in p or "util/Result.h" in p for p in problems):
        failures.append("an allowed or unresolved include was reported")
    if "app/cli" not in edges or "ui" not in edges["app/cli"]:
        failures.append("the app/cli -> ui edge")
    # The table itself must be acyclic, lowest layer first: a module allows only those above it.
    seen = set()
    for module, deps in ALLOWED:
        for d in deps:
            if d != "core" and d not in seen:
                failures.append(f"ALLOWED lists {module} before {d}")
        seen.add(module)
    if failures:
        for f in failures:
            print(f"self-test: not caught: {f}", file=sys.stderr)
        for p in problems:
            print(f"  reported: {p}", file=sys.stderr)
        return 1
    print(f"self-test passed: {len(problems)} planted problems reported")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = argv[1]
    problems, edges = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s); see docs/ARCHITECTURE.md, \"Allowed dependencies\"")
        return 1
    print("Module dependencies (what each module includes, lowest layer first):")
    print("\n".join(graph_lines(edges)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
