#!/usr/bin/env python3
"""Runs clang-tidy with the vinyl plugin on a test file and checks the result.

Debian does not ship LLVM's check_clang_tidy.py, so this is the small part of
it the tests need, with the same conventions:

  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: ... [vinyl-x]
  // CHECK-FIXES: co_await vinyl::io::read(fd, &c, 1);

The input is copied to TEMP with every CHECK line blanked to "//" (so line
numbers stay those of the input), clang-tidy fixes TEMP in place, then
FileCheck matches its output against CHECK-MESSAGES (any other warning or
error fails) and TEMP against CHECK-FIXES (whole lines). A file without
CHECK-MESSAGES must produce no warning; one without CHECK-FIXES must be left
unchanged. TEMP is left behind so the test can compile it.

Usage: check-clang-tidy.py --clang-tidy BIN --plugin SO
           --filecheck BIN [--cxxflags FLAGS] INPUT CHECKS TEMP [TIDY-ARGS...]
           [-- COMPILER-ARGS...]
"""
import argparse
import re
import subprocess
import sys


def fail(message, output=""):
    sys.stderr.write(output)
    sys.stderr.write("check-clang-tidy: " + message + "\n")
    sys.exit(1)


def filecheck(args, prefix, input_file, text, extra=()):
    cmd = [args.filecheck, args.input, "--check-prefix=" + prefix,
           "--input-file=" + input_file, *extra]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        fail("FileCheck " + prefix + " failed", text + result.stdout +
             result.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--cxxflags", default="",
                        help="compiler flags every test gets, one string")
    parser.add_argument("input")
    parser.add_argument("checks")
    parser.add_argument("temp")
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    # argparse would swallow the "--" that starts the compiler flags.
    argv, extra = sys.argv[1:], []
    if "--" in argv:
        split = argv.index("--")
        argv, extra = argv[:split], argv[split + 1:]
    args = parser.parse_args(argv)
    tidy_args, compiler_args = args.rest, args.cxxflags.split() + extra

    with open(args.input, encoding="utf-8") as f:
        original = f.read()
    cleaned = re.sub(r"// *CHECK-[A-Z0-9\-]*:[^\r\n]*", "//", original)
    with open(args.temp, "w", encoding="utf-8") as f:
        f.write(cleaned)

    cmd = [args.clang_tidy, "-load", args.plugin,
           "--checks=-*," + args.checks, "--fix",
           *tidy_args, args.temp, "--", *compiler_args]
    result = subprocess.run(cmd, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        fail("clang-tidy exited with %d: %s" % (result.returncode,
                                                 " ".join(cmd)), output)
    messages = args.temp + ".msg"
    with open(messages, "w", encoding="utf-8") as f:
        f.write(output)

    if "CHECK-MESSAGES:" in original:
        filecheck(args, "CHECK-MESSAGES", messages, output,
                  ["--implicit-check-not={{warning|error}}:"])
    elif re.search(r"(warning|error):", output):
        fail("expected no warnings", output)

    with open(args.temp, encoding="utf-8") as f:
        fixed = f.read()
    if "CHECK-FIXES:" in original:
        filecheck(args, "CHECK-FIXES", args.temp, fixed,
                  ["--match-full-lines"])
    elif fixed != cleaned:
        fail("expected no fixes, but the file changed:", fixed)


if __name__ == "__main__":
    main()
