// Where the runtime's #include goes in a file that gains coroutines: after
// the file's own includes, never inside a conditional block, never above
// the configuration macros it defines first.
#include "Includes.h"

#include "gtest/gtest.h"

using namespace vinyl;

namespace {

/// \p Code with the edit applied, or "present" when nothing is inserted.
std::string withInclude(llvm::StringRef Code) {
  std::optional<IncludeEdit> E = includeEdit(Code, "<vinyl/vinyl.hpp>");
  if (!E)
    return "present";
  return Code.take_front(E->Offset).str() + E->Text +
         Code.drop_front(E->Offset).str();
}

TEST(IncludesTest, AfterTheLastIncludeOfTheFile) {
  EXPECT_EQ(withInclude("// io\n#include <unistd.h>\n#include \"a.h\"\n"
                        "int f();\n"),
            "// io\n#include <unistd.h>\n#include \"a.h\"\n"
            "#include <vinyl/vinyl.hpp>\nint f();\n");
}

TEST(IncludesTest, NotInsideAConfigurationBlock) {
  EXPECT_EQ(withInclude("#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n"
                        "#include <unistd.h>\nint f();\n"),
            "#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n"
            "#include <unistd.h>\n#include <vinyl/vinyl.hpp>\nint f();\n");
  // Without includes of its own: after the block, not in it.
  EXPECT_EQ(withInclude("#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n"
                        "int f();\n"),
            "#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n"
            "#include <vinyl/vinyl.hpp>\nint f();\n");
}

TEST(IncludesTest, InsideAHeaderGuardAfterConditionalIncludes) {
  EXPECT_EQ(withInclude("#ifndef IO_H\n#define IO_H\n#include <string>\n"
                        "#ifdef _WIN32\n#include <winsock2.h>\n#else\n"
                        "#include <unistd.h>\n#endif\nint f();\n#endif\n"),
            "#ifndef IO_H\n#define IO_H\n#include <string>\n"
            "#ifdef _WIN32\n#include <winsock2.h>\n#else\n"
            "#include <unistd.h>\n#endif\n#include <vinyl/vinyl.hpp>\n"
            "int f();\n#endif\n");
}

TEST(IncludesTest, AfterPragmaOnceAndCommentsWithoutIncludes) {
  EXPECT_EQ(withInclude("/* licence\n   text */\n#pragma once\nint f();\n"),
            "/* licence\n   text */\n#pragma once\n"
            "#include <vinyl/vinyl.hpp>\nint f();\n");
}

TEST(IncludesTest, PresentAlreadyAndCrLfKept) {
  EXPECT_EQ(withInclude("#include <cstdio>\nint f();\n"
                        "#include <vinyl/vinyl.hpp>\n"),
            "present");
  EXPECT_EQ(withInclude("#include <cstdio>\r\nint f();\r\n"),
            "#include <cstdio>\r\n#include <vinyl/vinyl.hpp>\r\nint f();\r\n");
}

} // namespace
