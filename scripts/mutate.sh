#!/usr/bin/env bash
# The mutation gate (CONTRIBUTING.md, "The mutation gate"). Each mutation of scripts/mutations.txt
# puts one deliberate bug into a security or correctness rule of a copy of the tree; the tests it
# names are rebuilt and run, and must fail: the mutation is "killed". A mutation the tests let
# through "survived", and the gate fails. So does a mutation whose pattern no longer matches
# exactly once (the code moved: update the list) or that does not compile (a list error, not a kill).
#
#   bash scripts/mutate.sh [--worktree] [--keep] [--list FILE] [NAME...]
#
#   NAME...      only these mutations (e.g. the one you are adding)
#   --worktree   copy the working tree, uncommitted changes included (default: the last commit;
#                the list itself is always read from the working tree)
#   --keep       keep the copy and its build folder (printed at the end)
#   --list FILE  another list (default: scripts/mutations.txt)
#   UW_MUTATE_WORK=DIR  keep the copy in DIR from one run to the next: only the files that
#                changed are copied again and the build is incremental (while you work on the list)
#
# The copy is configured once and the listed tests are built and run once unmutated (they must
# pass); then each mutation is applied, its tests rebuilt (ccache: only the mutated file compiles)
# and run, each in a process group with a time limit (a hang is a kill by timeout), and the file
# is restored. A test is a ctest name, or "name:function,function" for some of its functions.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

LIST="$ROOT/scripts/mutations.txt"
WORKTREE=0
KEEP=0
ONLY=()
while [ $# -gt 0 ]; do
    case "$1" in
    --worktree) WORKTREE=1 ;;
    --keep) KEEP=1 ;;
    --list)
        LIST=$(realpath "$2")
        shift
        ;;
    -h | --help)
        sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "mutate: unknown option $1 (see --help)" >&2
        exit 2
        ;;
    *) ONLY+=("$1") ;;
    esac
    shift
done
JOBS="${JOBS:-2}"
export QT_QPA_PLATFORM=offscreen

# The list's reader and the editor of the copy: the one part that is easier in Python.
# python3 -c "$PY" LIST TREE COMMAND...: check [NAME...] | names [NAME...] | tests NAME... |
# apply NAME STASH | restore STASH | sync SOURCE | run BUILD TIMES JOBS baseline|NAME
PY=$(
    cat <<'EOF'
import os, re, sys

def parse(path):
    muts, cur, lineno = [], None, 0
    for raw in open(path, encoding="utf-8"):
        lineno += 1
        line = raw.rstrip("\n").rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.strip().partition(" ")
        value = value.lstrip(" ")
        where = f"{path}:{lineno}"
        if key == "mutation":
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
                sys.exit(f"{where}: a mutation's name is lowercase letters, digits and dashes: {value!r}")
            if any(m["name"] == value for m in muts):
                sys.exit(f"{where}: the name {value} is used twice")
            cur = {"name": value, "tests": [], "edits": [], "file": None, "where": where}
            muts.append(cur)
            continue
        if cur is None:
            sys.exit(f"{where}: '{key}' before the first 'mutation' line")
        if key == "tests":
            cur["tests"] += value.split()
        elif key == "file":
            cur["file"] = value
        elif key in ("find", "regex"):
            if cur["file"] is None:
                sys.exit(f"{where}: '{key}' before a 'file' line")
            if not value:
                sys.exit(f"{where}: an empty '{key}'")
            if key == "regex":
                try:
                    re.compile(value)
                except re.error as e:
                    sys.exit(f"{where}: bad regular expression: {e}")
            cur["edits"].append({"file": cur["file"], "kind": key, "pattern": value, "replace": None, "where": where})
        elif key == "replace":
            if not cur["edits"] or cur["edits"][-1]["replace"] is not None:
                sys.exit(f"{where}: 'replace' without its 'find' or 'regex'")
            cur["edits"][-1]["replace"] = value
        else:
            sys.exit(f"{where}: unknown keyword '{key}'")
    for m in muts:
        if not m["tests"] or not m["edits"] or any(e["replace"] is None for e in m["edits"]):
            sys.exit(f"{m['where']}: mutation {m['name']} needs 'tests', 'file', 'find'/'regex' and 'replace'")
    return muts

def spans(text, e):
    if e["kind"] == "find":
        out, i = [], text.find(e["pattern"])
        while i >= 0:
            out.append((i, i + len(e["pattern"])))
            i = text.find(e["pattern"], i + 1)
        return out
    return [m.span() for m in re.finditer(e["pattern"], text)]

def mutated(tree, m):
    """The new contents of each file m edits, or the reason it cannot apply."""
    files = {}
    for e in m["edits"]:
        path = os.path.join(tree, e["file"])
        if e["file"] not in files:
            if not os.path.isfile(path):
                return None, f"{e['where']}: {e['file']} does not exist"
            files[e["file"]] = open(path, encoding="utf-8").read()
        text = files[e["file"]]
        found = spans(text, e)
        if len(found) != 1:
            return None, (f"{e['where']}: the {e['kind']} pattern matches {len(found)} times in {e['file']} "
                          f"(it must match exactly once): {e['pattern']}")
        a, b = found[0]
        new = e["replace"]
        if e["kind"] == "regex":
            new = re.search(e["pattern"], text).expand(new)
        if text[a:b] == new:
            return None, f"{e['where']}: the replacement is the text itself"
        files[e["file"]] = text[:a] + new + text[b:]
    return files, None

def select(muts, names):
    if not names:
        return muts
    known = {m["name"] for m in muts}
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit("no such mutation: " + " ".join(unknown))
    return [m for m in muts if m["name"] in names]

listfile, tree, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
muts = parse(listfile)
if cmd == "check":
    bad = [err for m in select(muts, args) for err in [mutated(tree, m)[1]] if err]
    for err in bad:
        print(f"mutate: stale pattern: {err}", file=sys.stderr)
    sys.exit(1 if bad else 0)
elif cmd == "names":
    print("\n".join(m["name"] for m in select(muts, args)))
elif cmd == "tests":
    # the build targets: a test "name:function,..." is built as "name"
    print(" ".join(sorted({t.partition(":")[0] for m in select(muts, args) for t in m["tests"]})))
elif cmd == "apply":
    m, stash = select(muts, args[:1])[0], args[1]
    files, err = mutated(tree, m)
    if err:
        sys.exit(err)
    os.makedirs(stash, exist_ok=True)
    with open(os.path.join(stash, "files"), "w", encoding="utf-8") as idx:
        for n, (rel, text) in enumerate(files.items()):
            path = os.path.join(tree, rel)
            with open(os.path.join(stash, str(n)), "w", encoding="utf-8") as keep:
                keep.write(open(path, encoding="utf-8").read())
            idx.write(f"{n}\t{rel}\n")
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
elif cmd == "restore":
    stash = args[0]
    index = os.path.join(stash, "files")
    if os.path.exists(index):
        for line in open(index, encoding="utf-8"):
            n, rel = line.rstrip("\n").split("\t", 1)
            # Written anew (never a copy that keeps the old time): the build must see the file changed.
            with open(os.path.join(tree, rel), "w", encoding="utf-8") as out:
                out.write(open(os.path.join(stash, n), encoding="utf-8").read())
        os.remove(index)
elif cmd == "sync":
    # Makes TREE the same as SRC, rewriting only the files that differ (a kept build stays valid).
    src = args[0]
    want = set()
    for d, dirs, names in os.walk(src):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), src)
            want.add(rel)
            a, b = os.path.join(src, rel), os.path.join(tree, rel)
            if os.path.islink(a):
                continue
            data = open(a, "rb").read()
            if not os.path.isfile(b) or open(b, "rb").read() != data:
                os.makedirs(os.path.dirname(b), exist_ok=True)
                with open(b, "wb") as out:
                    out.write(data)
                os.chmod(b, os.stat(a).st_mode)
    for d, dirs, names in os.walk(tree):
        dirs[:] = [x for x in dirs if not (d == tree and x == "build") and x != "node_modules"]
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), tree)
            if rel not in want:
                os.remove(os.path.join(d, n))
elif cmd == "run":
    # run BUILD TIMES JOBS baseline|NAME: runs tests as ctest would (its command, environment and
    # folder), each in a process group of its own that a time limit kills whole. "baseline" runs
    # every listed test unmutated and writes each one's time to TIMES; NAME runs the mutation's
    # tests, each limited to 60 s + 3 x its time, and prints those that failed (or timed out).
    import json, signal, subprocess, threading, time
    build, times_file, jobs, what = args[0], args[1], int(args[2]), args[3]
    info = json.loads(subprocess.run(["ctest", "--test-dir", build, "--show-only=json-v1"], check=True,
                                     capture_output=True, text=True).stdout)
    known = {t["name"]: t for t in info["tests"]}
    specs = sorted({s for m in muts for s in m["tests"]}) if what == "baseline" else select(muts, [what])[0]["tests"]
    times = {}
    if what != "baseline":
        times = dict(line.rsplit(" ", 1) for line in open(times_file, encoding="utf-8").read().splitlines())
    results, lock, queue = {}, threading.Lock(), list(specs)
    logdir = os.path.join(os.path.dirname(times_file), "logs", what)
    os.makedirs(logdir, exist_ok=True)
    def one(spec):
        name, _, funcs = spec.partition(":")
        if name not in known:
            return "error: no such test " + name
        t = known[name]
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        env = dict(os.environ)
        env.update(v.split("=", 1) for v in props.get("ENVIRONMENT", []))
        cmdline = t["command"] + [f for f in funcs.split(",") if f]
        limit = 60 + 3 * float(times.get(spec, 100)) if what != "baseline" else float(props.get("TIMEOUT", 1500))
        start = time.monotonic()
        with open(os.path.join(logdir, spec.replace(":", "_").replace(",", "_") + ".log"), "w") as log:
            proc = subprocess.Popen(cmdline, cwd=props.get("WORKING_DIRECTORY", build), env=env, stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                rc = proc.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                rc = None
            try:  # the test and whatever it started (relays, doubles) go together
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        with lock:
            times[spec] = f"{time.monotonic() - start:.1f}"
        return "timeout" if rc is None else ("ok" if rc == 0 else f"signal {-rc}" if rc < 0 else "failed")
    def worker():
        while True:
            with lock:
                if not queue:
                    return
                spec = queue.pop(0)
            results[spec] = one(spec)
    threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    failed = [s if r == "failed" else f"{s} ({r})" for s, r in results.items() if r != "ok"]
    if what == "baseline":
        with open(times_file, "w", encoding="utf-8") as out:
            out.writelines(f"{s} {times[s]}\n" for s in specs)
        for s in specs:
            print(f"mutate:   {s}: {results[s]}, {times[s]} s")
        sys.exit(1 if failed else 0)
    else:
        print(", ".join(sorted(failed)))
else:
    sys.exit(f"unknown command {cmd}")
EOF
)
mut() { python3 -c "$PY" "$LIST" "$COPY" "$@"; }

START=$(date +%s)
if [ -n "${UW_MUTATE_WORK:-}" ]; then
    WORK=$(realpath -m "$UW_MUTATE_WORK")
    KEEP=1
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/uw-mutate.XXXXXX")
fi
COPY="$WORK/tree"
BUILD="$COPY/build"
cleanup() {
    rm -rf "$WORK/incoming"
    mut restore "$WORK/stash" 2>/dev/null || true
    if [ "$KEEP" = 1 ]; then
        echo "mutate: the copy is kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# The copy: the last commit (what CI tests), or the working tree with --worktree.
mkdir -p "$COPY" "$WORK/incoming"
if [ "$WORKTREE" = 1 ]; then
    git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
        [ -e "$f" ] && printf '%s\0' "$f"
    done | tar -c --null -T - | tar -x -C "$WORK/incoming"
else
    git archive HEAD | tar -x -C "$WORK/incoming"
fi
mut sync "$WORK/incoming"
rm -rf "$WORK/incoming"
# bitcoinjs-lib (installed by scripts/test.sh) judges the anchoring service's transactions.
if [ -d tests/tools/txcheck/node_modules ] && [ ! -e "$COPY/tests/tools/txcheck/node_modules" ]; then
    ln -s "$ROOT/tests/tools/txcheck/node_modules" "$COPY/tests/tools/txcheck/node_modules"
fi

# Every pattern must match exactly once before anything is built.
mut check "${ONLY[@]}"
mapfile -t NAMES < <(mut names "${ONLY[@]}")
read -r -a TESTS <<<"$(mut tests "${NAMES[@]}")"
echo "mutate: ${#NAMES[@]} mutations, tests: ${TESTS[*]}"

# The compiler flags are the normal build's (build/), so that ccache has compiled all but the
# mutated file already. Each mutation relinks the core library and its tests: a thin archive and
# a fast linker keep that to about a second (the library holds some 200 MB of debug information).
LINKER=()
for ld in lld gold; do
    if command -v "ld.$ld" >/dev/null; then
        LINKER=(-DCMAKE_EXE_LINKER_FLAGS="-fuse-ld=$ld")
        break
    fi
done
echo "mutate: configure and build the tests in $BUILD"
cmake -S "$COPY" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUW_BUILD_BENCH=OFF "${LINKER[@]}" \
    -DCMAKE_CXX_ARCHIVE_CREATE="<CMAKE_AR> qcT <TARGET> <LINK_FLAGS> <OBJECTS>" >"$WORK/configure.log" ||
    {
        cat "$WORK/configure.log"
        exit 1
    }
cmake --build "$BUILD" -j"$JOBS" --target "${TESTS[@]}" >"$WORK/build.log" 2>&1 || {
    tail -50 "$WORK/build.log"
    echo "mutate: the unmutated tree does not build" >&2
    exit 1
}
echo "mutate: built ($(($(date +%s) - START)) s so far); the tests, unmutated:"
# Unmutated, every listed test passes (otherwise a "kill" would mean nothing); its time sets its limit.
rm -rf "$WORK/logs"
if ! mut run "$BUILD" "$WORK/times" "$JOBS" baseline; then
    echo "mutate: the listed tests fail without any mutation (their output: $WORK/logs/baseline)" >&2
    KEEP=1
    exit 1
fi
echo "mutate: the unmutated tests pass ($(($(date +%s) - START)) s so far)"

killed=0 survived=0 errors=0
SURVIVORS=() ERRORS=()
i=0
for name in "${NAMES[@]}"; do
    i=$((i + 1))
    t0=$(date +%s)
    read -r -a targets <<<"$(mut tests "$name")"
    printf 'mutate: [%2d/%d] %-52s ' "$i" "${#NAMES[@]}" "$name"
    if ! mut apply "$name" "$WORK/stash" 2>"$WORK/apply.log"; then
        echo "error: $(cat "$WORK/apply.log")"
        errors=$((errors + 1))
        ERRORS+=("$name")
        continue
    fi
    if ! cmake --build "$BUILD" -j"$JOBS" --target "${targets[@]}" >"$WORK/build.log" 2>&1; then
        verdict="error: it does not compile (a mutation must compile)"
        grep -m5 -E 'error|Error' "$WORK/build.log" >"$WORK/why.log" || true
    else
        failed=$(mut run "$BUILD" "$WORK/times" "$JOBS" "$name")
        if [ -z "$failed" ]; then
            verdict="survived"
        else
            verdict="killed ($failed)"
        fi
    fi
    mut restore "$WORK/stash"
    echo "$verdict $(($(date +%s) - t0)) s"
    case "$verdict" in
    killed*) killed=$((killed + 1)) ;;
    survived)
        survived=$((survived + 1))
        SURVIVORS+=("$name")
        ;;
    *)
        errors=$((errors + 1))
        ERRORS+=("$name")
        sed 's/^/mutate:     /' "$WORK/why.log"
        ;;
    esac
done

elapsed=$(($(date +%s) - START))
echo "mutate: ${#NAMES[@]} mutations: $killed killed, $survived survived, $errors errors" \
    "in $((elapsed / 60)) min $((elapsed % 60)) s"
[ "$survived" = 0 ] || echo "mutate: survived (the tests let these bugs through): ${SURVIVORS[*]}"
[ "$errors" = 0 ] || echo "mutate: errors of the list: ${ERRORS[*]}"
[ "$survived" = 0 ] && [ "$errors" = 0 ]
