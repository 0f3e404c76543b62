# lit configuration: one test file per behaviour of the tool.
#
# Substitutions:
#   %vinyl            the vinyl-asyncify tool under test
#   %mkdb DIR F...    write DIR/compile_commands.json for the files F
#   %compile-both F   compile F (-fsyntax-only, -Werror) with g++ and clang++-22
#   %build-both O F   build executables O.gcc and O.clang from the files F
#   %gxx, %clangxx    the two compilers; %cxxflags their common flags
#   %vinyl_build      the build tree; %cmake the CMake that configured it
#   %clang_tidy       the installed clang-tidy-22 (feature: clang-tidy)
#   %vinyl_tidy_plugin the clang-tidy plugin, libVinylTidy.so
#   %check_tidy F CHECKS TMP [ARGS] [-- FLAGS]
#                     run the plugin's CHECKS on a copy TMP of F and match
#                     CHECK-MESSAGES / CHECK-FIXES (test/tools/check-clang-tidy.py)
import os
import lit.formats

config.name = "vinyl-asyncify"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["runtime", "packs", "unit", "tools", "Inputs", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Colours and progress lines only go to terminals; tests see plain text.
config.environment["TERM"] = "dumb"

# 10,000 connections need 20,000 descriptors: the hard limit allows it, or
# we may raise it (root, up to the kernel's nr_open). Elsewhere the load test
# is unsupported rather than failed by `ulimit -n 20000`.
import resource
def can_open_20000_files():
    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] >= 20000:
        return True
    try:
        with open("/proc/sys/fs/nr_open") as f:
            return os.geteuid() == 0 and int(f.read()) >= 20000
    except OSError:
        return False
if can_open_20000_files():
    config.available_features.add("nofile-20000")

tools = os.path.join(config.test_source_root, "tools")
cxxflags = "-std=c++20 -Wall -Wextra -Werror -I" + config.vinyl_runtime_include
# Longer names first: lit substitutes in order.
config.substitutions.append(("%vinyl_src", config.vinyl_source_dir))
config.substitutions.append(("%vinyl_build", config.vinyl_build_dir))
config.substitutions.append(("%vinyl_tidy_plugin", config.vinyl_tidy_plugin))
config.substitutions.append(("%vinyl", config.vinyl_tool))
config.substitutions.append(("%mkdb", "python3 " + os.path.join(tools, "mkdb.py")))
config.substitutions.append(
    ("%compile-both", "%s %s %s %s" % (os.path.join(tools, "compile-both.sh"),
                                       config.gxx, config.clangxx, cxxflags)))
config.substitutions.append(
    ("%build-both", "%s %s %s %s" % (os.path.join(tools, "build-both.sh"),
                                     config.gxx, config.clangxx, cxxflags)))
config.substitutions.append(("%gxx", config.gxx))
config.substitutions.append(("%clangxx", config.clangxx))
config.substitutions.append(("%cxxflags", cxxflags))
config.substitutions.append(("%runtime_include", config.vinyl_runtime_include))
config.substitutions.append(("%cmake", config.cmake))

# The plugin is tested in the distribution's clang-tidy, which is what
# editors run; without one the tidy tests are unsupported, not failed.
if config.clang_tidy:
    config.available_features.add("clang-tidy")
config.substitutions.append(("%clang_tidy", config.clang_tidy or "clang-tidy"))
config.substitutions.append(
    ("%check_tidy",
     "python3 %s --clang-tidy %s --plugin %s --filecheck %s --cxxflags '%s'"
     % (os.path.join(tools, "check-clang-tidy.py"), config.clang_tidy,
        config.vinyl_tidy_plugin,
        os.path.join(config.llvm_tools_dir, "FileCheck"),
        "-std=c++20 -I" + config.vinyl_runtime_include)))
