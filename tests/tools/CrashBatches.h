#pragma once

#include <cstdint>
#include <string>

namespace vigil::test {

/// Rows in batch n of the crash test: 3 to 17, so batches differ in size.
[[nodiscard]] inline int crashBatchRows(std::int64_t batch) { return 3 + static_cast<int>(batch % 15); }

/// The deterministic payload of one row (200 to ~2,100 bytes), so the checker can verify content.
[[nodiscard]] inline std::string crashPayload(std::int64_t batch, int idx)
{
    std::string s = "b" + std::to_string(batch) + "i" + std::to_string(idx) + ":";
    const auto len = 200 + static_cast<std::size_t>((batch * 131 + idx * 17) % 1900);
    while (s.size() < len)
        s += static_cast<char>('A' + (batch + idx + static_cast<std::int64_t>(s.size())) % 26);
    return s;
}

}  // namespace vigil::test
