#include "core/common/Uuid.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>

#include <sodium.h>

#include "core/store/SecureBytes.h"

namespace vigil {

std::string newUuid()
{
    ensureSodium();
    std::array<unsigned char, 16> b{};
    randombytes_buf(b.data(), b.size());
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    const std::string hex = toHex(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-"
        + hex.substr(20, 12);
}

std::string newTimeOrderedUuid()
{
    ensureSodium();
    std::array<unsigned char, 16> b{};
    randombytes_buf(b.data(), b.size());
    auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    // Strictly increasing within the process (RFC 9562, 6.2 method 1): within one millisecond,
    // or when the clock steps back, the 12 bits after the version count on from the last id.
    std::uint16_t counter = static_cast<std::uint16_t>(((b[6] & 0x0F) << 8) | b[7]) & 0x07FF;  // room to count
    {
        static std::mutex mutex;
        static std::uint64_t lastMs = 0;
        static std::uint16_t lastCounter = 0;
        const std::lock_guard lock(mutex);
        if (ms <= lastMs) {
            ms = lastMs;
            counter = static_cast<std::uint16_t>(lastCounter + 1);
            if (counter > 0x0FFF) {
                ++ms;
                counter = 0;
            }
        }
        lastMs = ms;
        lastCounter = counter;
    }
    for (int i = 0; i < 6; ++i)
        b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));  // 48 bits, big-endian
    b[6] = static_cast<unsigned char>(0x70 | ((counter >> 8) & 0x0F));  // version 7
    b[7] = static_cast<unsigned char>(counter & 0xFF);
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    const std::string hex = toHex(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-"
        + hex.substr(20, 12);
}

bool isTimeOrderedUuid(std::string_view text) noexcept
{
    return isUuid(text) && text[14] == '7';
}

std::string uuidFromName(std::string_view name)
{
    ensureSodium();
    std::array<unsigned char, 16> b{};
    crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(name.data()), name.size(), nullptr, 0);
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x80);  // version 8: custom (name-based, BLAKE2b)
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    const std::string hex = toHex(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-"
        + hex.substr(20, 12);
}

bool isUuid(std::string_view text) noexcept
{
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

}  // namespace vigil
