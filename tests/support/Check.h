#pragma once

#include <catch2/catch.hpp>

#include "core/common/Result.h"

/// REQUIRE that a Result/Status is ok, printing its error message (and field) when not.
#define REQUIRE_OK(expr)                                                                               \
    do {                                                                                               \
        const auto& vigil_check_ = (expr);                                                             \
        if (!vigil_check_.ok())                                                                        \
            FAIL(#expr << " failed: " << vigil_check_.error().message << " ["                          \
                       << vigil_check_.error().field << "]");                                           \
    } while (false)
