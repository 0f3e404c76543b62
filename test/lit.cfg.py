# lit configuration: one test file per behaviour of the tool.
#
# Substitutions:
#   %vinyl            the vinyl-asyncify tool under test
#   %mkdb DIR F...    write DIR/compile_commands.json for the files F
#   %compile-both F   compile F (-fsyntax-only, -Werror) with g++ and clang++-22
#   %build-both O F   build executables O.gcc and O.clang from the files F
#   %gxx, %clangxx    the two compilers; %cxxflags their common flags
#   %vinyl_build      the build tree; %cmake the CMake that configured it
import os
import lit.formats

config.name = "vinyl-asyncify"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["runtime", "unit", "tools", "Inputs", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Colours and progress lines only go to terminals; tests see plain text.
config.environment["TERM"] = "dumb"

tools = os.path.join(config.test_source_root, "tools")
cxxflags = "-std=c++20 -Wall -Wextra -Werror -I" + config.vinyl_runtime_include
# Longer names first: lit substitutes in order.
config.substitutions.append(("%vinyl_src", config.vinyl_source_dir))
config.substitutions.append(("%vinyl_build", config.vinyl_build_dir))
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
