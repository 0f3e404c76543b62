#!/usr/bin/env bash
# kill-harness.sh: is vinyl-asyncify's write phase safe against SIGKILL?
#
# Converts a copy of a multi-file example (examples/calc by default) N times
# and kills the tool with SIGKILL at a random point of its write phase each
# time, then
#   1. classifies the files the conversion changes: each byte-identical to
#      the original or to the full conversion, and all of them to the same
#      one (outcome "original" or "converted"; otherwise "mixed", which a
#      kill between two renames leaves, or "corrupt"), and counts what the
#      killed run left next to them (temporaries NAME.vinyl-TAG-XXXXXX,
#      backups NAME.vinyl-old-TAG-XXXXXX);
#   2. runs `vinyl-asyncify --recover` (what every writing run does first)
#      and classifies the tree again: it must be original or converted,
#      with nothing left next to the files;
#   3. a second, unkilled run converts the tree to exactly the full
#      conversion and, where something was left, the two runs said so on
#      stderr (name one, or say "interrupted", "recovered" or "left over").
# and prints the count of each outcome. Exit 0 if every tree after
# recovery is the original or the converted one and every next run is
# clean, 1 otherwise (2: the harness itself failed).
#
# How the write phase is hit. The tool spends ~3 s parsing and ~1 ms writing,
# so a delay sampled over the whole run almost never lands in the write. A
# small LD_PRELOAD shim (compiled here; nothing in the tool changes) sees
# the C library calls the write phase makes (lib/apply/Apply.cpp through
# llvm::sys::fs): open, write, close, chmod, link, rename, remove, unlink.
# The write phase starts at the first open of a name containing ".vinyl-";
# every such call from then on is one "step". Two ways to kill:
#   --mode step  (default) the shim raises SIGKILL just before step K, K
#                drawn uniformly from 1..M+1 (M: the steps of a whole run,
#                counted by a calibration run), so every state the files go
#                through on disk is reachable;
#   --mode time  the shim sleeps --stretch µs before each step (default
#                2000) so the write phase lasts ~M*stretch; the harness sees
#                the first step (the shim's log) and sends SIGKILL from
#                outside after a delay drawn uniformly from 0..W, W the
#                stretched write phase measured by the calibration run: the
#                kill may land inside a call (a half-written temporary).
#
# Usage: scripts/kill-harness.sh [-n N] [--mode step|time] [--seed S]
#          [--example calc|DIR --files 'a.cpp b.cpp'] [--tool PATH]
#          [--work DIR] [--keep] [--stretch US] [--quiet]
# Environment: VINYL_TOOL (default build/bin/vinyl-asyncify).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
export KH_ROOT="$ROOT"
exec python3 - "$@" <<'PYTHON'
import argparse, filecmp, os, random, re, shutil, signal, subprocess, sys, time

ROOT = os.environ["KH_ROOT"]
ap = argparse.ArgumentParser(prog="kill-harness.sh")
ap.add_argument("-n", type=int, default=200, help="killed runs (default 200)")
ap.add_argument("--mode", choices=["step", "time"], default="step")
ap.add_argument("--seed", type=int, default=None)
ap.add_argument("--example", default="calc",
                help="examples/<name>, or a directory")
ap.add_argument("--files", default=None,
                help="the units for the compile database (default: *.cpp)")
ap.add_argument("--tool", default=os.environ.get(
    "VINYL_TOOL", os.path.join(ROOT, "build/bin/vinyl-asyncify")))
ap.add_argument("--work", default=None, help="scratch directory (default: a new one in $TMPDIR)")
ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
ap.add_argument("--stretch", type=int, default=2000, help="µs before each step (--mode time)")
ap.add_argument("--quiet", action="store_true", help="no line per run")
args = ap.parse_args(sys.argv[1:])
seed = args.seed if args.seed is not None else random.randrange(1 << 30)
rng = random.Random(seed)

import tempfile
work = args.work or tempfile.mkdtemp(prefix="vinyl-kill-")
os.makedirs(work, exist_ok=True)

def die(msg):
    print("kill-harness: " + msg, file=sys.stderr)
    sys.exit(2)

# --- the shim -------------------------------------------------------------
SHIM_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long kill_at = -1, stretch_us = 0, steps = 0;
static int armed = 0, log_fd = -1, inited = 0;

static void init(void) {
  if (inited) return;
  inited = 1;
  const char *k = getenv("VINYL_KH_KILL_AT");
  if (k) kill_at = atol(k);
  const char *s = getenv("VINYL_KH_STRETCH_US");
  if (s) stretch_us = atol(s);
  const char *l = getenv("VINYL_KH_LOG");
  if (l) log_fd = (int)syscall(SYS_openat, AT_FDCWD, l,
                               O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* One step of the write phase: logged, stretched, or the last one. */
static void step(const char *what, const char *path, long fd) {
  init();
  if (!armed) {
    if (!(path && strstr(path, ".vinyl-"))) return;
    armed = 1;
  }
  ++steps;
  if (log_fd >= 0) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char buf[4200];
    int n = snprintf(buf, sizeof buf, "%ld %ld.%09ld %s %ld %s\n", steps,
                     (long)ts.tv_sec, ts.tv_nsec, what, fd, path ? path : "-");
    if (n > 0) syscall(SYS_write, log_fd, buf, (size_t)n);
  }
  if (stretch_us > 0) usleep((useconds_t)stretch_us);
  if (steps == kill_at) raise(SIGKILL);
}

#define REAL(name) static __typeof__(name) *real_##name; \
  if (!real_##name) real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

int open(const char *p, int flags, ...) {
  REAL(open);
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap);
  }
  step("open", p, -1);
  return real_open(p, flags, mode);
}
int open64(const char *p, int flags, ...) {
  REAL(open64);
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap);
  }
  step("open", p, -1);
  return real_open64(p, flags, mode);
}
ssize_t write(int fd, const void *b, size_t n) {
  REAL(write);
  if (armed && fd > 2) step("write", NULL, fd);
  return real_write(fd, b, n);
}
int close(int fd) {
  REAL(close);
  if (armed && fd > 2) step("close", NULL, fd);
  return real_close(fd);
}
int chmod(const char *p, mode_t m) { REAL(chmod); step("chmod", p, -1); return real_chmod(p, m); }
int link(const char *a, const char *b) { REAL(link); step("link", b, -1); return real_link(a, b); }
int rename(const char *a, const char *b) { REAL(rename); step("rename", a, -1); return real_rename(a, b); }
int remove(const char *p) { REAL(remove); step("remove", p, -1); return real_remove(p); }
int unlink(const char *p) { REAL(unlink); step("unlink", p, -1); return real_unlink(p); }
"""

shim = os.path.join(work, "killshim.so")
with open(os.path.join(work, "killshim.c"), "w") as f:
    f.write(SHIM_C)
r = subprocess.run(["cc", "-O1", "-shared", "-fPIC", "-o", shim,
                    os.path.join(work, "killshim.c"), "-ldl"],
                   capture_output=True, text=True)
if r.returncode:
    die("cannot build the shim:\n" + r.stderr)

# --- the trees ------------------------------------------------------------
ex = args.example
srcdir = ex if os.path.isdir(ex) else os.path.join(ROOT, "examples", ex)
if not os.path.isdir(srcdir):
    die("no example " + ex)
orig = os.path.join(work, "orig")
conv = os.path.join(work, "converted")
tree = os.path.join(work, "tree")
shutil.rmtree(orig, ignore_errors=True)
shutil.copytree(srcdir, orig, symlinks=True)
units = args.files.split() if args.files else sorted(
    f for f in os.listdir(orig) if f.endswith(".cpp"))
subprocess.run([sys.executable, os.path.join(ROOT, "test/tools/mkdb.py"), orig]
               + units, check=True)

LEFTOVER = re.compile(r"\.vinyl-(old-)?([0-9a-f]{16}-)?[0-9a-zA-Z]{6}$")

def files_of(d):
    out = {}
    for dp, dns, fns in os.walk(d):
        for fn in fns:
            p = os.path.join(dp, fn)
            out[os.path.relpath(p, d)] = p
    return out

def leftovers(d):
    return sorted(r for r in files_of(d) if LEFTOVER.search(r))

def fresh(d):
    """A copy of the original with a database of its own (the database
    names the tree's directory)."""
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(orig, d, symlinks=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "test/tools/mkdb.py"), d]
                   + units, check=True)

def run_tool(d, env_extra=None, capture=True):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([args.tool, d], env=env, capture_output=True,
                          text=True, errors="replace")

fresh(conv)
r = run_tool(conv)
if r.returncode != 0:
    die("the reference conversion failed (exit %d):\n%s" % (r.returncode, r.stderr))
if leftovers(conv):
    die("the reference conversion left files: %s" % leftovers(conv))
O, C = files_of(orig), files_of(conv)
changed = sorted(p for p in O if p != "compile_commands.json"
                 and not filecmp.cmp(O[p], C[p], shallow=False))
if not changed:
    die("the conversion changed nothing")
def read(p):
    with open(p, "rb") as f:
        return f.read()

ORIG = {p: read(O[p]) for p in O if p != "compile_commands.json"}
CONV = {p: read(C[p]) for p in C if p != "compile_commands.json"}

def state(d):
    """original / converted / mixed / corrupt, and the leftovers."""
    F = files_of(d)
    left = [p for p in F if LEFTOVER.search(p)]
    kinds = set()
    bad = []
    for p in ORIG:
        if p not in F:
            kinds.add("missing"); bad.append(p + " (missing)"); continue
        b = read(F[p])
        if b == ORIG[p] and b == CONV[p]:
            continue
        if b == ORIG[p]:
            kinds.add("orig")
        elif b == CONV[p]:
            kinds.add("conv")
        else:
            kinds.add("other"); bad.append(p)
    extra = [p for p in F if p not in ORIG and p not in left
             and p != "compile_commands.json"]
    if extra:
        kinds.add("other"); bad += [p + " (new)" for p in extra]
    if kinds <= {"orig"}:
        s = "original"
    elif kinds == {"conv"}:
        s = "converted"
    elif kinds == {"orig", "conv"}:
        s = "mixed"
    else:
        s = "corrupt"
    return s, sorted(left), bad

# --- calibration ----------------------------------------------------------
def calibrate(stretch):
    fresh(tree)
    log = os.path.join(work, "calibration.log")
    if os.path.exists(log):
        os.remove(log)
    env = {"LD_PRELOAD": shim, "VINYL_KH_LOG": log}
    if stretch:
        env["VINYL_KH_STRETCH_US"] = str(stretch)
    t0 = time.monotonic()
    r = run_tool(tree, env)
    if r.returncode != 0:
        die("the calibration run failed (exit %d):\n%s" % (r.returncode, r.stderr))
    s = state(tree)
    if s[0] != "converted" or s[1]:
        die("the calibration run did not convert cleanly: %s" % (s,))
    lines = open(log).read().splitlines()
    if not lines:
        die("the shim saw no write phase (is the tool linked dynamically to the C library?)")
    first = float(lines[0].split()[1]); last = float(lines[-1].split()[1])
    return len(lines), last - first, lines

M, _, steps_log = calibrate(0)
W = None
if args.mode == "time":
    M2, W, _ = calibrate(args.stretch)
    W += args.stretch / 1e6  # the last step's sleep
print("kill-harness: example %s (%d files changed by the conversion: %s), tool %s"
      % (os.path.relpath(srcdir, ROOT) if srcdir.startswith(ROOT) else srcdir,
         len(changed), " ".join(changed), args.tool))
print("kill-harness: write phase = %d steps (%s); mode %s%s; seed %d; N=%d"
      % (M, " ".join(sorted({l.split()[2] for l in steps_log})), args.mode,
         ", window %.0f ms" % (W * 1e3) if W else "", seed, args.n))
sys.stdout.flush()

# --- the killed runs ------------------------------------------------------
from collections import Counter
killed_outcomes = Counter()
rerun_outcomes = Counter()
recovered_outcomes = Counter()
leftover_kinds = Counter()
runs_with_leftovers = 0
failures = []
t_start = time.monotonic()
for i in range(1, args.n + 1):
    fresh(tree)
    log = os.path.join(work, "run.log")
    if os.path.exists(log):
        os.remove(log)
    env = dict(os.environ, LD_PRELOAD=shim, VINYL_KH_LOG=log)
    if args.mode == "step":
        k = rng.randint(1, M + 1)   # M + 1: never killed
        env["VINYL_KH_KILL_AT"] = str(k)
        p = subprocess.Popen([args.tool, tree], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        out, err = p.communicate()
        rc = p.returncode
        point = "step %d/%d" % (k, M)
        if k <= M:
            point += " (%s)" % " ".join(steps_log[k - 1].split()[2:4:2]) \
                if len(steps_log[k - 1].split()) > 4 else ""
    else:
        env["VINYL_KH_STRETCH_US"] = str(args.stretch)
        delay = rng.uniform(0, W)
        p = subprocess.Popen([args.tool, tree], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        # Wait for the first step, then the delay, then SIGKILL.
        while not (os.path.exists(log) and os.path.getsize(log) > 0):
            if p.poll() is not None:
                break
            time.sleep(0.0002)
        if p.poll() is None:
            time.sleep(delay)
            try:
                p.send_signal(signal.SIGKILL)
            except ProcessLookupError:
                pass
        out, err = p.communicate()
        rc = p.returncode
        done = len(open(log).read().splitlines()) if os.path.exists(log) else 0
        point = "%.1f ms into the write (after step %d/%d)" % (delay * 1e3, done, M)
    killed = rc == -signal.SIGKILL
    s, left, bad = state(tree)
    tag = s + ("" if killed else " (not killed, exit %d)" % rc)
    killed_outcomes[s] += 1
    runs_with_leftovers += bool(left)
    for l in left:
        leftover_kinds["backup" if ".vinyl-old-" in l else "temporary"] += 1
    # Recovery alone (what every writing run does first), then the next
    # run, unkilled.
    rr = subprocess.run([args.tool, "--recover", tree], capture_output=True,
                        text=True)
    s_rec, left_rec, bad_rec = state(tree)
    recovered_outcomes[s_rec if rr.returncode == 0 and not left_rec else
                       "failed" if rr.returncode else s_rec + ", leftovers remain"] += 1
    r2 = run_tool(tree)
    s2, left2, bad2 = state(tree)
    # "Says so": names a leftover, or speaks of an interrupted run.
    said = rr.stderr + r2.stderr
    mentions = [l for l in left if os.path.basename(l) in said] or \
        re.findall(r"(?i)\.vinyl-|interrupted|recover|left ?over", said)
    if r2.returncode == 0 and s2 == "converted" and not left2:
        o2 = ("converted, nothing to clean" if not left else
              "recovered, said so" if mentions else "recovered, silently")
    elif r2.returncode == 0 and s2 == "converted":
        o2 = "converted, leftovers remain"
    else:
        o2 = "failed (exit %d, tree %s)" % (r2.returncode, s2)
    rerun_outcomes[o2] += 1
    if s_rec not in ("original", "converted") or left_rec or rr.returncode \
            or not o2.startswith(("recovered, said", "converted, nothing")):
        failures.append((i, point, tag, left, bad_rec, o2,
                         (rr.stderr + r2.stderr).strip()[-600:]))
    if not args.quiet:
        print("run %3d: kill at %-40s -> %-10s leftovers %d -> recovered: %-10s -> next run: %s"
              % (i, point, tag, len(left), s_rec, o2))
        sys.stdout.flush()

elapsed = time.monotonic() - t_start
print()
print("== kill-harness summary: %d killed runs of %s, mode %s, seed %d, %.0f s =="
      % (args.n, os.path.basename(srcdir), args.mode, seed, elapsed))
print("tree after the kill:")
for k in ("original", "converted", "mixed", "corrupt"):
    print("  %-10s %d" % (k, killed_outcomes[k]))
print("files left next to the sources: %d temporaries, %d backups (in %d runs)"
      % (leftover_kinds["temporary"], leftover_kinds["backup"],
         runs_with_leftovers))
print("tree after --recover:")
for k in ("original", "converted", "mixed", "corrupt"):
    print("  %-10s %d" % (k, recovered_outcomes[k]))
for k, v in sorted(recovered_outcomes.items()):
    if k not in ("original", "converted", "mixed", "corrupt"):
        print("  %-10s %d" % (k, v))
print("next run:")
for k, v in sorted(rerun_outcomes.items()):
    print("  %-40s %d" % (k, v))
if failures:
    print("first runs that were not clean:")
    for f in failures[:5]:
        i, point, tag, left, bad, o2, e = f
        print("  run %d: kill at %s -> %s; left %s; differs: %s; next run: %s"
              % (i, point, tag, left, bad, o2))
if not args.keep and not args.work:
    shutil.rmtree(work, ignore_errors=True)
bad_tree = sum(v for k, v in recovered_outcomes.items()
               if k not in ("original", "converted"))
sys.exit(1 if bad_tree or any(not k.startswith(("recovered, said", "converted, nothing"))
                               for k in rerun_outcomes) else 0)
PYTHON
