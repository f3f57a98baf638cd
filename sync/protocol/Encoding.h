#pragma once

// Text encodings used on the wire and in enrolment codes. No network code.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::sync {

/// SHA-256 of the server certificate's SubjectPublicKeyInfo (DER): the pin.
using SpkiPin = std::array<unsigned char, 32>;

[[nodiscard]] std::array<unsigned char, 32> sha256(std::span<const unsigned char> data);

/// Base64url without padding (RFC 4648 §5).
[[nodiscard]] std::string base64UrlEncode(std::span<const unsigned char> bytes);
/// Nullopt when `text` is not unpadded base64url.
[[nodiscard]] std::optional<std::vector<unsigned char>> base64UrlDecode(std::string_view text);

[[nodiscard]] std::string pinToText(const SpkiPin& pin);
[[nodiscard]] std::optional<SpkiPin> pinFromText(std::string_view text);

/// Crockford base32 alphabet (no I, L, O, U): easy to read aloud and type.
inline constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `count` random Crockford characters (5 bits each, from the OS CSPRNG via libsodium).
[[nodiscard]] std::string randomCrockford(std::size_t count);
/// Upper-case, drop '-' and spaces, read I/L as 1 and O as 0. Nullopt when any other
/// character is not in the alphabet.
[[nodiscard]] std::optional<std::string> normaliseCrockford(std::string_view text);

}  // namespace vigil::sync
