#pragma once

// Photos for the sync tests: small synthetic JPEGs the sanitiser keeps byte for byte, and small
// storage chunks so a photo is several parts on the wire.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/records/AttachmentRepository.h"

namespace vigil::test {

using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kChunk = 4096;  // small chunks: a 38 KB photo is 10 of them

/// A JPEG the sanitiser keeps byte for byte: JFIF, tables, one scan of random data, EOI.
inline Bytes photo(std::uint64_t seed, std::size_t scanBytes = 38000)
{
    Bytes b{0xFF, 0xD8};
    const auto segment = [&](int marker, const std::string& payload) {
        const std::size_t len = payload.size() + 2;
        b.insert(b.end(), {0xFF, static_cast<std::uint8_t>(marker), static_cast<std::uint8_t>(len >> 8),
                           static_cast<std::uint8_t>(len & 0xFF)});
        b.insert(b.end(), payload.begin(), payload.end());
    };
    segment(0xE0, std::string("JFIF\0\x01\x02\x00\x00\x01\x00\x01\x00\x00", 14));
    segment(0xDB, std::string(65, '\x01'));
    segment(0xC0, std::string("\x08\x00\x10\x00\x10\x01\x01\x11\x00", 9));
    segment(0xDA, std::string("\x01\x01\x00\x00\x3f\x00", 6));
    std::mt19937_64 rng(seed);
    for (std::size_t i = 0; i < scanBytes; ++i)
        b.push_back(static_cast<std::uint8_t>(rng() % 255));  // never 0xFF inside the scan
    b.insert(b.end(), {0xFF, 0xD9});
    return b;
}

inline AttachmentLimits smallChunks()
{
    AttachmentLimits l;
    l.chunkBytes = kChunk;
    return l;
}

}  // namespace vigil::test
