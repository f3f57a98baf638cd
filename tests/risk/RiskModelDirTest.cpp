// Where programs find the risk models and rules (core/risk/RiskModelDir.h): beside an installed
// program, and in the source tree only for a program inside its build tree.
#include <fstream>

#include <catch2/catch.hpp>

#include "core/risk/RiskModelDir.h"
#include "tests/support/TempDir.h"

using namespace vigil;
namespace fs = std::filesystem;

TEST_CASE("An installed program looks for its models only in <prefix>/share/vigil/risk-models", "[risk][models]")
{
    for (const char* exe : {"/usr/bin/vigil", "/usr/sbin/vigil-server", "/opt/force/bin/vigil-device"}) {
        const auto candidates = riskModelDirCandidates(exe);
        REQUIRE(candidates.size() == 1);
        CHECK(candidates.front() == fs::path(exe).parent_path().parent_path() / "share/vigil/risk-models");
    }
}

TEST_CASE("A program inside its build tree looks beside itself, then in the source tree", "[risk][models]")
{
    // This test program lies in the build tree it was built in.
    const auto candidates = riskModelDirCandidates();
    REQUIRE(candidates.size() == 2);
    CHECK(candidates.back() == fs::path(VIGIL_RISK_MODEL_DIR));
    const auto found = shippedRiskModelDir();
    REQUIRE(found.ok());
    CHECK(found.value() == fs::path(VIGIL_RISK_MODEL_DIR));
}

TEST_CASE("The first folder holding the rules is used, and a folder without them is passed over", "[risk][models]")
{
    test::TempDir tmp("vigil-models");
    fs::create_directories(tmp / "empty");
    fs::create_directories(tmp / "shipped");
    std::ofstream(tmp / "shipped" / "rules-default.json") << "{}";
    fs::create_directories(tmp / "later");
    std::ofstream(tmp / "later" / "rules-default.json") << "{}";
    const auto found = findRiskModelDir({tmp / "missing", tmp / "empty", tmp / "shipped", tmp / "later"});
    REQUIRE(found.ok());
    CHECK(found.value() == tmp / "shipped");
}

TEST_CASE("No folder holding the rules names every folder tried and what to do", "[risk][models]")
{
    test::TempDir tmp("vigil-models");
    fs::create_directories(tmp / "empty");
    const auto found = findRiskModelDir({tmp / "installed", tmp / "empty"});
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().code == ErrorCode::NotFound);
    CHECK_THAT(found.error().message, Catch::Contains((tmp / "installed").string())
                                          && Catch::Contains((tmp / "empty").string())
                                          && Catch::Contains("Reinstall Vigil"));
}
