#include "sync/protocol/Encoding.h"

#include <sodium.h>

#include "core/store/SecureBytes.h"

namespace vigil::sync {

std::array<unsigned char, 32> sha256(std::span<const unsigned char> data)
{
    ensureSodium();
    std::array<unsigned char, 32> out{};
    crypto_hash_sha256(out.data(), data.data(), data.size());
    return out;
}

std::string base64UrlEncode(std::span<const unsigned char> bytes)
{
    ensureSodium();
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
    out.resize(out.size() - 1);  // the encoder writes a terminating NUL
    return out;
}

std::optional<std::vector<unsigned char>> base64UrlDecode(std::string_view text)
{
    ensureSodium();
    std::vector<unsigned char> out(text.size() * 3 / 4 + 3);
    std::size_t written = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING)
            != 0
        || end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(written);
    return out;
}

std::string pinToText(const SpkiPin& pin)
{
    return base64UrlEncode(pin);
}

std::optional<SpkiPin> pinFromText(std::string_view text)
{
    auto bytes = base64UrlDecode(text);
    if (!bytes || bytes->size() != 32)
        return std::nullopt;
    SpkiPin pin{};
    std::copy(bytes->begin(), bytes->end(), pin.begin());
    return pin;
}

std::string randomCrockford(std::size_t count)
{
    ensureSodium();
    std::string out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(kCrockford[randombytes_uniform(32)]);
    return out;
}

std::optional<std::string> normaliseCrockford(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (c == 'I' || c == 'L')
            c = '1';
        else if (c == 'O')
            c = '0';
        if (kCrockford.find(c) == std::string_view::npos)
            return std::nullopt;
        out.push_back(c);
    }
    return out;
}

}  // namespace vigil::sync
