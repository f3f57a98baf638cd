#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/Result.h"
#include "sync/protocol/Encoding.h"

namespace vigil::sync {

/// Lengths of the two parts of a one-time enrolment code, in Crockford characters.
/// The id (30 bits) finds the code on the server and is not secret; the secret has
/// 12 × 5 = 60 bits of randomness and is stored on the server only as a keyed hash.
inline constexpr std::size_t kCodeIdChars = 6;
inline constexpr std::size_t kCodeSecretChars = 12;
inline constexpr std::string_view kCodeScheme = "vigil1";

/// Where to enrol and how to recognise the server: what an administrator hands to a user,
/// as text and as a QR code:
///
///   vigil1:<host>:<port>:<spki-sha256-base64url>:<ID>-<SECR>-<ETSE>-<CRET>
///
/// An IPv6 host is written in brackets ([::1]).
struct EnrolmentCode {
    std::string host;
    std::uint16_t port = 0;
    SpkiPin pin{};
    std::string codeId;  ///< normalised Crockford
    std::string secret;  ///< normalised Crockford; wipe after use
};

/// The one-line form (above).
[[nodiscard]] std::string formatEnrolmentCode(const EnrolmentCode& code);
/// The part a person types: id and secret grouped in fours after the id (ABC123-WXYZ-…).
[[nodiscard]] std::string formatCodePart(std::string_view codeId, std::string_view secret);
/// Parse the one-line form. Case, dashes and look-alike letters (I, L, O) are forgiven in
/// the code part; everything else must be exact. The error says which part is wrong.
[[nodiscard]] Result<EnrolmentCode> parseEnrolmentCode(std::string_view text);

}  // namespace vigil::sync
