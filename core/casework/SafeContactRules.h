#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/Result.h"
#include "core/domain/Incident.h"

namespace vigil {

/// How someone tried to reach the victim (issue 24; DOMAIN.md §7).
enum class ContactMethod { Phone, Text, Voicemail, Email, Visit, AtAgency, Letter };

[[nodiscard]] std::span<const ContactMethod> allContactMethods() noexcept;
[[nodiscard]] std::string_view toString(ContactMethod method) noexcept;  ///< "phone", "at_agency", ...
[[nodiscard]] std::optional<ContactMethod> contactMethodFromString(std::string_view text) noexcept;
/// "Phone", "Text message", "Visit", "At the agency", ...
[[nodiscard]] std::string contactMethodWords(ContactMethod method);

/// When contact is safe: on these days of the week, between these London times.
struct SafeWindow {
    unsigned days = 0x7f;  ///< bit 0 Monday ... bit 6 Sunday
    int from = 0;          ///< minutes after London midnight
    int to = 24 * 60;      ///< exclusive; 24:00 is the end of the day
    friend bool operator==(const SafeWindow&, const SafeWindow&) = default;
};

/// The victim's safe times as the 124D or the case records them ("Weekdays 10:00-15:00",
/// "Mon-Fri 10-3pm; Sat 9:00-12:00", "between 10:00 and 15:00 on weekdays", "weekends").
/// Clauses are separated by ';' or a new line; each names days (weekdays, weekends, daily,
/// day names or ranges; none = every day) and a time range (none = all day). Empty text: no
/// windows (any time). Text Vigil cannot read is an error saying so (the caller still shows
/// the text; it is not enforced).
[[nodiscard]] Result<std::vector<SafeWindow>> parseSafeTimes(std::string_view text);
/// "between 10:00 and 15:00 on weekdays; 09:00 to 12:00 on Saturday".
[[nodiscard]] std::string safeTimesWords(const std::vector<SafeWindow>& windows);

/// What the victim's safe-contact answers say about one attempt to contact her.
struct ContactVerdict {
    bool allowed = true;
    /// When refused: the rule in words, and what is safe instead ("Text is unsafe for this
    /// victim: the suspect may read the victim's messages. Safe: phone between 10:00 and 15:00
    /// on weekdays.").
    std::string refusal;
    /// When allowed but not known safe: what to check ("Nobody has asked the victim whether
    /// email is safe: ask, and record the answer.").
    std::string caution;
};

/// Check an attempt by `method` at `at` against the victim's answers (DOMAIN.md §7: these
/// gate every contact). A method answered "not safe" is refused; a remote method outside the
/// safe times is refused; at the agency is always allowed (the victim came in); a method
/// nobody asked about, or safe times Vigil cannot read, is allowed with a caution. The same
/// function decides on the device and on the server.
[[nodiscard]] ContactVerdict checkContact(const SafeContact& answers, ContactMethod method, std::chrono::sys_seconds at);

/// The safe-contact answers as a person row holds them (flat fields "safe_contact.phone", ...).
[[nodiscard]] SafeContact safeContactFromFields(const nlohmann::json& personFields);

}  // namespace vigil
