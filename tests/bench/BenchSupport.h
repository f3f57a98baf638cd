#pragma once

// What every Vigil benchmark needs: the smoke switch, timing, percentiles, and a way to stop
// with the error's own words when a step fails.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/common/Result.h"

namespace vigil::bench {

using Steady = std::chrono::steady_clock;

/// VIGIL_BENCH_SMOKE=1: a few iterations only (ctest runs every benchmark this way).
[[nodiscard]] inline bool smoke()
{
    const char* s = std::getenv("VIGIL_BENCH_SMOKE");
    return s && *s && std::string(s) != "0";
}

[[nodiscard]] inline double ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
    double median = 0;
    double p99 = 0;
    double max = 0;
};

[[nodiscard]] inline Stats stats(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
    };
    return {at(0.5), at(0.99), v.back()};
}

[[noreturn]] inline void die(const Error& e)
{
    std::fprintf(stderr, "benchmark failed: %s\n", e.message.c_str());
    std::exit(1);
}

template <typename T>
T must(Result<T> r)
{
    if (!r)
        die(r.error());
    return std::move(r).value();
}

inline void must(const Status& s)
{
    if (!s.ok())
        die(s.error());
}

}  // namespace vigil::bench
