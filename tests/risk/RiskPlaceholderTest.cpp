#include <catch2/catch.hpp>

#include "core/common/Result.h"

TEST_CASE("An error value carries its code, message and field", "[result]")
{
    vigil::Result<int> r = vigil::makeError(vigil::ErrorCode::Validation, "MERLIN PAC reference required", "refs.merlin_pac");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "refs.merlin_pac");
    CHECK(vigil::errorCodeName(r.error().code) == "validation");
}
