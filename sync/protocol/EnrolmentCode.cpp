#include "sync/protocol/EnrolmentCode.h"

#include <charconv>

namespace vigil::sync {

namespace {

Error badCode(const std::string& what)
{
    return makeError(ErrorCode::InvalidArgument,
                     "This enrolment code is not valid: " + what
                         + ". Check it was copied in full, or ask your administrator for a new one.",
                     "code");
}

}  // namespace

std::string formatCodePart(std::string_view codeId, std::string_view secret)
{
    std::string out(codeId);
    for (std::size_t i = 0; i < secret.size(); i += 4) {
        out.push_back('-');
        out.append(secret.substr(i, 4));
    }
    return out;
}

std::string formatEnrolmentCode(const EnrolmentCode& code)
{
    const bool v6 = code.host.find(':') != std::string::npos;
    return std::string(kCodeScheme) + ":" + (v6 ? "[" + code.host + "]" : code.host) + ":"
        + std::to_string(code.port) + ":" + pinToText(code.pin) + ":" + formatCodePart(code.codeId, code.secret);
}

Result<EnrolmentCode> parseEnrolmentCode(std::string_view text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    if (text.size() > 256)
        return badCode("it is too long");
    const std::string prefix = std::string(kCodeScheme) + ":";
    if (text.substr(0, prefix.size()) != prefix)
        return badCode("it must start with \"" + prefix + "\"");
    text.remove_prefix(prefix.size());

    EnrolmentCode code;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return badCode("the server address is incomplete");
        code.host = std::string(text.substr(1, close - 1));
        text.remove_prefix(close + 2);
    } else {
        const auto colon = text.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return badCode("the server address is missing");
        code.host = std::string(text.substr(0, colon));
        text.remove_prefix(colon + 1);
    }
    if (code.host.empty() || code.host.size() > 253)
        return badCode("the server address is missing");
    for (char c : code.host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '-' || c == ':';
        if (!ok)
            return badCode("the server address has characters a host name cannot have");
    }

    const auto portEnd = text.find(':');
    if (portEnd == std::string_view::npos)
        return badCode("the server port is missing");
    unsigned port = 0;
    const std::string_view portText = text.substr(0, portEnd);
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc() || end != portText.data() + portText.size() || port == 0 || port > 65535)
        return badCode("the server port is not a number from 1 to 65535");
    code.port = static_cast<std::uint16_t>(port);
    text.remove_prefix(portEnd + 1);

    const auto pinEnd = text.find(':');
    if (pinEnd == std::string_view::npos)
        return badCode("the server fingerprint is missing");
    auto pin = pinFromText(text.substr(0, pinEnd));
    if (!pin)
        return badCode("the server fingerprint is damaged");
    code.pin = *pin;
    text.remove_prefix(pinEnd + 1);

    auto secret = normaliseCrockford(text);
    if (!secret)
        return badCode("the code has characters that are not used in codes");
    if (secret->size() != kCodeIdChars + kCodeSecretChars) {
        return badCode("the code part must have " + std::to_string(kCodeIdChars + kCodeSecretChars)
                       + " letters and digits, not " + std::to_string(secret->size()));
    }
    code.codeId = secret->substr(0, kCodeIdChars);
    code.secret = secret->substr(kCodeIdChars);
    return code;
}

}  // namespace vigil::sync
