#!/bin/sh
# pre-commit-vinyl.sh - a git pre-commit hook running `vinyl-asyncify --check`.
#
# Blocks a commit that takes the code off the conversion's fixpoint or misuses
# coroutines (a blocking call or block_on inside a coroutine, a task never
# awaited, a function that must become async, code that cannot be converted);
# see docs/check.md. A commit that stages no C/C++ file is not checked.
#
# Install (from the top of the repository):
#     cp scripts/pre-commit-vinyl.sh .git/hooks/pre-commit   # or ln -s
#     chmod +x .git/hooks/pre-commit
# or call it from an existing hook, or from pre-commit's `repo: local` hooks
# (`entry: scripts/pre-commit-vinyl.sh`, `pass_filenames: false`).
#
# Settings, from the environment or else from git config:
#     VINYL_ASYNCIFY  vinyl.tool   the tool (default: vinyl-asyncify on PATH)
#     VINYL_BUILD     vinyl.build  directory of compile_commands.json
#                                  (default: build)
#     VINYL_PATHS     vinyl.paths  paths to check, space-separated
#                                  (default: src)
# e.g. git config vinyl.paths "src include"; git config vinyl.build out/debug
#
# The hook checks the files of the working tree: when C/C++ files have changes
# that are not staged, it says so, since what it checked is then not exactly
# what is committed. Bypass it once with `git commit --no-verify`.
#
# Exit status: 0 lets the commit through; anything else blocks it.

setting() { # setting ENV_VALUE GIT_KEY DEFAULT
  if [ -n "$1" ]; then
    printf '%s\n' "$1"
  else
    git config --get "$2" 2>/dev/null || printf '%s\n' "$3"
  fi
}

tool=$(setting "$VINYL_ASYNCIFY" vinyl.tool vinyl-asyncify)
build=$(setting "$VINYL_BUILD" vinyl.build build)
paths=$(setting "$VINYL_PATHS" vinyl.paths src)

cxx='\.(c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|h\+\+|ipp|inl|tpp)$'

# Nothing to check when no C/C++ file is staged (added, copied, modified,
# renamed).
if ! git diff --cached --name-only --diff-filter=ACMR |
    grep -Eiq "$cxx"; then
  exit 0
fi

if ! command -v "$tool" >/dev/null 2>&1; then
  echo "pre-commit: '$tool' not found; install vinyl-asyncify, set" \
    "VINYL_ASYNCIFY or 'git config vinyl.tool', or commit with --no-verify" >&2
  exit 1
fi

if git diff --name-only | grep -Eiq "$cxx"; then
  echo "pre-commit: note: C/C++ files have unstaged changes; vinyl-asyncify" \
    "checks the working tree, not only what is staged" >&2
fi

# $paths is split on purpose: one argument per path.
# shellcheck disable=SC2086
"$tool" -p "$build" --check $paths
status=$?
case $status in
0) exit 0 ;;
1)
  echo "pre-commit: vinyl-asyncify --check found problems (above); fix them" \
    "(running 'vinyl-asyncify -p $build $paths' converts what it can)," \
    "or commit with --no-verify" >&2
  ;;
*)
  echo "pre-commit: vinyl-asyncify failed (exit $status); commit with" \
    "--no-verify to skip the check" >&2
  ;;
esac
exit 1
