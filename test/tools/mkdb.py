#!/usr/bin/env python3
"""Writes DIR/compile_commands.json compiling each named file of DIR with
g++ -std=c++20 (extra flags after --), as a build system would.
--compiler NAME names another driver (clang++-22): the tool writes g++'s
workarounds only for g++ or a compiler it does not know."""
import json
import os
import sys

args = sys.argv[1:]
compiler = "g++"
if args[:1] == ["--compiler"]:
    compiler = args[1]
    args = args[2:]
flags = []
if "--" in args:
    flags = args[args.index("--") + 1:]
    args = args[:args.index("--")]
root = os.path.abspath(args[0])
entries = [{
    "directory": root,
    "file": os.path.join(root, f),
    "arguments": [compiler, "-std=c++20", *flags, "-c", f],
} for f in args[1:]]
with open(os.path.join(root, "compile_commands.json"), "w") as out:
    json.dump(entries, out, indent=1)
