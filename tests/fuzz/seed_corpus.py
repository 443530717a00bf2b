#!/usr/bin/env python3
"""Write the fuzz targets' seed corpora under tests/fuzz/corpus/NAME/ from
real data: go's -m=2 output on examples/campus, tests/fixtures/rules and
tests/unit/data (Go 1.19's one file per package block, Go 1.26's in small
pieces that start at a diagnostic), their Go sources, the
configuration in config/, the Mustache spec's templates and data
(tests/data/mustache-spec), pre-push lines as git writes them,
pull_request events shaped like GitHub's, cache and baseline files.
Needs `go` (1.26) on PATH and Go 1.19 as $GO119 (default
/usr/lib/go-1.19/bin/go).  Run from anywhere; rewrites the corpus
directories."""
import glob, hashlib, json, os, subprocess, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


GO119 = os.environ.get("GO119", "/usr/lib/go-1.19/bin/go")


def m2(moddir, flags="-m=2", go="go"):
    env = dict(os.environ, GOFLAGS="-mod=mod", GOTOOLCHAIN="local")
    r = subprocess.run([go, "build", "-gcflags=" + flags, "./..."], cwd=moddir,
                       env=env, capture_output=True)
    return r.stderr


def pieces(text, limit=2048):
    """Cut at diagnostic lines that start a chain or a verdict (not at a
    step), into pieces of at most about `limit` bytes."""
    cur, size = [], 0
    for line in text.splitlines(keepends=True):
        starts = not line.startswith(b" ") and b":   " not in line[:300]
        if cur and starts and size + len(line) > limit:
            yield b"".join(cur)
            cur, size = [], 0
        cur.append(line)
        size += len(line)
    if cur:
        yield b"".join(cur)


def blocks(text):
    cur = []
    for line in text.splitlines(keepends=True):
        if line.startswith(b"# ") and cur:
            yield b"".join(cur)
            cur = []
        cur.append(line)
    if cur:
        yield b"".join(cur)


for t in glob.glob(os.path.join(OUT, "*", "*")):
    os.unlink(t)

# parse: option byte 0x40 (chunks of 4096, plain options) and 0x0f (all options)
CAMPUS = os.path.join(ROOT, "examples", "campus")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "rules")
DATA = os.path.join(ROOT, "tests", "unit", "data")
outputs = [m2(CAMPUS, go=GO119), m2(FIXTURES, go=GO119)]
outputs += [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(DATA, "*.txt")))
            if "go126" not in p]
for out in outputs:
    for i, b in enumerate(blocks(out)):
        if len(b) > 16384:
            b = b[:16384]
        put("parse", (b"\x40" if i % 2 else b"\x3f") + b)
# Go 1.26: "in F:" / "for F with derefs=N:" headers, '←', inlined calls
# (with scores), append's backing array, steps at <unknown line number>
outputs = [m2(CAMPUS), m2(FIXTURES)]
outputs += [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(DATA, "*go126*.txt")))]
for out in outputs:
    for i, b in enumerate(pieces(out)):
        put("parse", (b"\x40" if i % 2 else b"\x3f") + b)

# gosrc: the Go sources those came from
for p in sorted(glob.glob(os.path.join(ROOT, "examples/campus/**/*.go"), recursive=True) +
                glob.glob(os.path.join(ROOT, "tests/fixtures/rules/**/*.go"), recursive=True) +
                glob.glob(os.path.join(ROOT, "tests/unit/data/**/*.go"), recursive=True)):
    put("gosrc", open(p, "rb").read())

# config
for p in glob.glob(os.path.join(ROOT, "config", "*.json")):
    put("config", open(p, "rb").read())
put("config", '{"fail_on": "warning", "mode": "new", "hook": {"fail_on": "error"}}')

# hook: what git writes on a pre-push hook's stdin
z = "0" * 40
a, b = "1" * 40, "a" * 40
put("hook", f"refs/heads/main {a} refs/heads/main {b}\n")
put("hook", f"refs/heads/new {a} refs/heads/new {z}\nrefs/tags/v1 {b} refs/tags/v1 {z}\n")
put("hook", f"(delete) {z} refs/heads/old {b}\n")

# ack: source lines with and without markers (first byte: alone)
for line in ["\tx := build()  //escape:ok pooled; the copy is cheaper than the lock",
             "//escape:ok ER001,ER005 logged once per request",
             "\ts := \"//escape:ok not a marker\" // escape:ok spaced",
             "//escape:ok", "\tp := &T{} //escape:ok ER040 "]:
    put("ack", b"\x00" + line.encode())
    put("ack", b"\x01" + line.encode())

# mustache: every spec test's template, NUL, its data (first byte: escaping)
spec = os.path.join(ROOT, "tests", "data", "mustache-spec")
for p in sorted(glob.glob(os.path.join(spec, "*.json"))):
    for i, t in enumerate(json.load(open(p))["tests"]):
        data = json.dumps(t.get("data"))
        put("mustache", bytes([i % 3]) + t["template"].encode() + b"\x00" + data.encode())
for p in glob.glob(os.path.join(ROOT, "templates", "**", "*.mustache"), recursive=True):
    put("mustache", b"\x01" + open(p, "rb").read())

# event: pull_request events as GitHub Actions writes them (trimmed)
for head_repo in ["o/r", "someone/r"]:
    put("event", json.dumps({
        "action": "synchronize", "number": 7,
        "pull_request": {"number": 7, "state": "open", "title": "Pool the buffers",
                         "head": {"ref": "feature", "sha": a, "repo": {"full_name": head_repo}},
                         "base": {"ref": "main", "sha": b, "repo": {"full_name": "o/r"}}},
        "repository": {"full_name": "o/r", "default_branch": "main"},
        "sender": {"login": "octocat", "type": "User"}}, indent=2))
put("event", json.dumps({"ref": "refs/heads/main", "before": b, "after": a,
                         "repository": {"full_name": "o/r"}}))

# compare: a cache (0x00) and a baseline (0x01) as the program writes them
# (compare.h: an entry's strings LEN:BYTES or "~", numbers decimal, each
# followed by a space; one record a line)
def entry_str(x):
    return b"~ " if x is None else b"%d:%s " % (len(x.encode()), x.encode())


def entry_num(*ns):
    return b"".join(b"%d " % n for n in ns)


step = ("campus/student.go", "flow: {heap} = ids", None, 14, 6, 0)


def record(eager, rest):
    """A record: what matching reads, then the rest as one string."""
    return eager + entry_str(rest) + b"\n"


records = [
    # file package function message subject rule; line column verdict flags
    # loop_line; then the rest: source source_above zero_size why; reasons
    # dsts steps flows derefs leak_dst func; callees; steps (file text
    # inlined line column outside)
    record(b"".join([entry_str(x) for x in ("campus/student.go", "example.com/campus", "Roster",
                                            "leaking param: ids", "ids", "ER017")])
           + entry_num(14, 15, 2, 0, 0),
           (b"".join([entry_str(x) for x in ("func Roster(ids []int) *R {", "", None, "ids is kept by Roster")])
            + entry_num(0x8000001, 1, 2, 1, 0) + entry_str("{heap}") + entry_str("Roster")
            + entry_num(1) + entry_str("log.Printf") + entry_num(2)
            + entry_str(step[0]) + entry_str(step[1]) + entry_str(step[2]) + entry_num(*step[3:])
            + entry_str(step[0]) + entry_str("from r.ids = ids (assign) at campus/student.go:15:8")
            + entry_str("log.Printf") + entry_num(15, 8, 1)).decode()),
    record(b"".join([entry_str(x) for x in ("a.go", None, "F.func1", "moved to heap: x", "x", None)])
           + entry_num(3, 2, 0, 0x30, 0),
           (entry_str(None) * 4 + entry_num(0, 0, 0, 0, -1) + entry_str(None) + entry_str(None)
            + entry_num(0, 0)).decode()),
]
# the checksum is not checked by the parser's entry point: zeros
put("compare", b"\x00escape-review analysis cache 15\n" + entry_str("escape-review analysis 7\ntree 0123\n")
    + b"\n%d 0000000000000000\n" % len(records) + b"".join(records) + b"end\n")
put("compare", b"\x01" + b'{"version": 1, "findings": [\n'
    b'  {"fingerprint":"23ad18047477703c","rule":"ER001","location":"campus/student.go:14 Roster","message":"leaking param: ids"},\n'
    b'  {"fingerprint":"5f0e8a1c2b3d4e6f","rule":"ER017","location":"campus/c.go:3 F","message":"moved to heap: x"}\n'
    b']}\n')
# index files as git writes them: version 2 with a cache tree (one
# directory invalidated by a staged file), 3 (an entry left out of the
# work tree), 4 (prefix-compressed paths)
def git_indexes():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        def git(*a):
            subprocess.run(["git", "-C", d, "-c", "user.name=t", "-c", "user.email=t@example.com"] + list(a),
                           check=True, stdout=subprocess.DEVNULL)
        git("init", "-q", ".")
        for path, text in (("a.go", "package a\n"), ("go/ssa/util.go", "package ssa\n"),
                           ("go/ssa/ssautil/load.go", "package ssautil\n"), ("README", "one\n")):
            os.makedirs(os.path.dirname(os.path.join(d, path)) or d, exist_ok=True)
            with open(os.path.join(d, path), "w") as f:
                f.write(text)
        git("add", "-A", ".")
        git("commit", "-qm", "one")
        with open(os.path.join(d, "go/ssa/util.go"), "a") as f:
            f.write("var X int\n")
        git("add", "go/ssa/util.go")
        idx = os.path.join(d, ".git", "index")
        put("gitindex", open(idx, "rb").read())
        git("update-index", "--skip-worktree", "a.go")
        put("gitindex", open(idx, "rb").read())
        git("update-index", "--index-version", "4")
        put("gitindex", open(idx, "rb").read())


git_indexes()

print("\n".join("%s: %d" % (t, len(os.listdir(os.path.join(OUT, t)))) for t in sorted(os.listdir(OUT))))
