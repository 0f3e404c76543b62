// Whether g++ 12 would run a full-expression's effects in another order
// once some of its calls are awaits (lib/rewrite/EvaluationOrder.cpp): the
// model the rewrite uses to keep or drop a statement's rearrangement.
#include "EvaluationOrder.h"

#include "gtest/gtest.h"

#include <set>

using namespace vinyl;

namespace {

/// An effect at [Offset, Offset + Length): a call when \p Call.
OrderUnit unit(unsigned Offset, unsigned Length, bool Call = true,
               bool Class = false) {
  OrderUnit U;
  if (Call)
    U.Call = Anchor{"a.cpp", Offset, Length};
  U.ClassResult = Class;
  return U;
}

bool reorders(std::vector<OrderUnit> Order, std::set<unsigned> Awaited) {
  return gccReorders(Order, [&](const Anchor &A) {
    return Awaited.count(A.Offset) > 0;
  });
}

TEST(EvaluationOrderTest, EffectBeforeAnAwaitIsOvertaken) {
  // note(1) + co_await fetch(2)
  EXPECT_TRUE(reorders({unit(0, 7), unit(10, 8)}, {10}));
}

TEST(EvaluationOrderTest, NothingAwaitedKeepsTheOrder) {
  EXPECT_FALSE(reorders({unit(0, 7), unit(10, 8)}, {}));
}

TEST(EvaluationOrderTest, ScalarAwaitsLeftToRightKeepTheirOrder) {
  // co_await fetch(1) * 10 + co_await fetch(2), then an effect after them
  EXPECT_FALSE(reorders({unit(0, 8), unit(14, 8), unit(30, 4, false)},
                        {0, 14}));
}

TEST(EvaluationOrderTest, ArgumentsEvaluatedRightToLeftAreReordered) {
  // add(co_await get(), co_await get()): g++ ran the second first
  EXPECT_TRUE(reorders({unit(20, 5), unit(10, 5)}, {10, 20}));
}

TEST(EvaluationOrderTest, AClassAwaitGoesBeforeScalarOnes) {
  // co_await A() + (co_await S()).size()
  EXPECT_TRUE(reorders({unit(0, 3), unit(10, 3, true, true)}, {0, 10}));
  // (co_await S()).size() + co_await A()
  EXPECT_FALSE(reorders({unit(0, 3, true, true), unit(20, 3)}, {0, 20}));
}

TEST(EvaluationOrderTest, InnerAwaitOfANestedCallComesFirst) {
  // co_await get(co_await get(fd)): the inner call ends first
  EXPECT_FALSE(reorders({unit(13, 7), unit(0, 21)}, {0, 13}));
}

} // namespace
