#include "core/casework/SafeContactRules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

#include <nlohmann/json.hpp>

#include "core/casework/LondonTime.h"

namespace vigil {

namespace {

constexpr std::array kMethods{ContactMethod::Phone,    ContactMethod::Text,     ContactMethod::Voicemail,
                              ContactMethod::Email,    ContactMethod::Visit,    ContactMethod::AtAgency,
                              ContactMethod::Letter};

constexpr unsigned kWeekdays = 0x1f;  // Monday to Friday
constexpr unsigned kWeekend = 0x60;   // Saturday and Sunday
constexpr unsigned kEveryDay = 0x7f;

constexpr std::array<std::string_view, 7> kDayNames{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};

std::optional<int> dayIndex(const std::string& word)
{
    static const std::array<std::array<std::string_view, 4>, 7> names{{
        {"mon", "monday", "mondays", ""},
        {"tue", "tues", "tuesday", "tuesdays"},
        {"wed", "weds", "wednesday", "wednesdays"},
        {"thu", "thur", "thurs", "thursday"},
        {"fri", "friday", "fridays", ""},
        {"sat", "saturday", "saturdays", ""},
        {"sun", "sunday", "sundays", ""},
    }};
    for (int d = 0; d < 7; ++d)
        for (std::string_view n : names[static_cast<std::size_t>(d)])
            if (!n.empty() && word == n)
                return d;
    if (word == "thursdays")
        return 3;
    return std::nullopt;
}

std::string lower(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        // An en or em dash (UTF-8 E2 80 93 / 94) reads as a hyphen.
        if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 && static_cast<unsigned char>(text[i + 1]) == 0x80
            && (static_cast<unsigned char>(text[i + 2]) == 0x93 || static_cast<unsigned char>(text[i + 2]) == 0x94)) {
            out += '-';
            i += 2;
            continue;
        }
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    }
    return out;
}

std::string hhmm(int minutes)
{
    const int h = std::clamp(minutes / 60, 0, 24), m = std::clamp(minutes % 60, 0, 59);
    return std::string{static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
                       static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
}

Error unreadable(std::string_view clause)
{
    return makeError(ErrorCode::Validation,
                     "Vigil cannot read the safe times \"" + std::string(clause.substr(0, 80))
                         + "\": write days and times like \"Weekdays 10:00-15:00; Sat 09:00-12:00\" so every contact "
                           "can be checked against them.",
                     "safe_contact.safe_times");
}

/// Hours and minutes of one end of a range; `suffix` "am", "pm" or "".
std::optional<int> clock(int hour, int minute, const std::string& suffix)
{
    if (minute < 0 || minute > 59)
        return std::nullopt;
    if (!suffix.empty()) {
        if (hour < 1 || hour > 12)
            return std::nullopt;
        hour = hour % 12 + (suffix == "pm" ? 12 : 0);
    }
    if (hour > 24 || (hour == 24 && minute != 0))
        return std::nullopt;
    return hour * 60 + minute;
}

Result<SafeWindow> parseClause(const std::string& original)
{
    std::string clause = original;
    // "between 10:00 and 15:00" reads as "10:00-15:00".
    static const std::regex between(R"(between\s+([0-9][0-9:.]*\s*(?:am|pm)?)\s+and\s+([0-9]))");
    clause = std::regex_replace(clause, between, "$1-$2");
    static const std::regex range(
        R"((\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*(?:-|to|until|till)\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?)");
    SafeWindow w;
    std::smatch m;
    std::string rest = clause;
    if (std::regex_search(clause, m, range)) {
        const auto num = [&](std::size_t i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
        std::string startSuffix = m[3].str(), endSuffix = m[6].str();
        auto to = clock(num(4), num(5), endSuffix);
        int startHour = num(1);
        if (startSuffix.empty() && !endSuffix.empty() && startHour < 12 && to && (startHour + 12) * 60 + num(2) < *to)
            startHour += 12;  // "1-3pm" is 13:00 to 15:00; "10-3pm" stays 10:00
        auto from = clock(startHour, num(2), startHour > 12 ? std::string() : startSuffix);
        if (from && to && startSuffix.empty() && endSuffix.empty() && !m[5].matched && num(4) < 12 && *to <= *from
            && *to + 12 * 60 > *from)
            *to += 12 * 60;  // "10-3" is 10:00 to 15:00 (but "15:00-10:00" is a mistake)
        if (!from || !to || *from >= *to || *to > 24 * 60)
            return unreadable(original);
        w.from = *from;
        w.to = *to;
        rest = m.prefix().str() + " " + m.suffix().str();
    }
    // The days: what is left, without filler words.
    for (char& c : rest)
        if (c == ',' || c == '.' || c == ':')
            c = ' ';
    std::vector<std::string> words;
    {
        std::string word;
        for (char c : rest + " ") {
            if (c == ' ' || c == '\t' || c == '-') {
                if (!word.empty())
                    words.push_back(word);
                if (c == '-')
                    words.push_back("-");
                word.clear();
            } else {
                word += c;
            }
        }
    }
    static const std::array<std::string_view, 9> filler{"on", "only", "at", "from", "the", "and", "between", "safe", "times"};
    unsigned days = 0;
    int rangeStart = -1;  // the day a range starts at, -1 for none
    bool pendingRange = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& wd = words[i];
        if (std::find(filler.begin(), filler.end(), wd) != filler.end())
            continue;
        if (wd == "weekdays" || wd == "weekday") {
            days |= kWeekdays;
        } else if (wd == "weekends" || wd == "weekend") {
            days |= kWeekend;
        } else if (wd == "daily" || wd == "any" || wd == "every" || wd == "day" || wd == "days" || wd == "all" || wd == "week") {
            days |= kEveryDay;
        } else if (wd == "-" || wd == "to") {
            if (rangeStart < 0)
                return unreadable(original);
            pendingRange = true;
        } else if (auto d = dayIndex(wd)) {
            if (pendingRange && rangeStart >= 0) {
                const int first = rangeStart;
                for (int k = 0; k < 7; ++k) {
                    const int day = (first + k) % 7;
                    days |= 1u << day;
                    if (day == *d)
                        break;
                }
                pendingRange = false;
                rangeStart = -1;
            } else {
                days |= 1u << *d;
                rangeStart = *d;
            }
        } else {
            return unreadable(original);
        }
    }
    if (pendingRange)
        return unreadable(original);
    w.days = days == 0 ? kEveryDay : days;
    return w;
}

std::string daysWords(unsigned days)
{
    if (days == kEveryDay)
        return "every day";
    if (days == kWeekdays)
        return "on weekdays";
    if (days == kWeekend)
        return "at weekends";
    std::vector<std::string> names;
    for (int d = 0; d < 7; ++d)
        if (days & (1u << d))
            names.emplace_back(kDayNames[static_cast<std::size_t>(d)]);
    std::string out = "on ";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return out;
}

/// Why a method can alert the suspect, for the refusal.
std::string_view riskOf(ContactMethod method)
{
    switch (method) {
    case ContactMethod::Phone: return "the suspect may answer or overhear the call";
    case ContactMethod::Text: return "the suspect may read the victim's messages";
    case ContactMethod::Voicemail: return "the suspect may hear a message left";
    case ContactMethod::Email: return "the suspect may read the victim's email";
    case ContactMethod::Visit: return "the suspect may be at the address";
    case ContactMethod::Letter: return "the suspect may open the victim's post";
    case ContactMethod::AtAgency: return "";
    }
    return "";
}

std::optional<bool> answerFor(const SafeContact& a, ContactMethod method)
{
    switch (method) {
    case ContactMethod::Phone: return a.phone;
    case ContactMethod::Text: return a.text;
    case ContactMethod::Voicemail: return a.voicemail;
    case ContactMethod::Email: return a.email;
    case ContactMethod::Visit: return a.visit;
    case ContactMethod::Letter: return std::nullopt;  // not asked on the 124D
    case ContactMethod::AtAgency: return true;
    }
    return std::nullopt;
}

std::string lowerFirst(std::string s)
{
    if (!s.empty())
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

/// "Safe: phone or email between 10:00 and 15:00 on weekdays." or what to do when nothing is.
std::string safeInstead(const SafeContact& a, const std::optional<std::vector<SafeWindow>>& windows)
{
    std::vector<std::string> safe;
    for (ContactMethod m : kMethods)
        if (m != ContactMethod::AtAgency && answerFor(a, m) == true)
            safe.push_back(lowerFirst(contactMethodWords(m)));
    if (safe.empty())
        return "No way of contacting the victim is recorded as safe: see the victim at the agency, or ask through a "
               "safe third party, and record the victim's answers.";
    std::string out = "Safe: ";
    for (std::size_t i = 0; i < safe.size(); ++i)
        out += (i == 0 ? "" : i + 1 == safe.size() ? " or " : ", ") + safe[i];
    if (windows && !windows->empty())
        out += " " + safeTimesWords(*windows);
    return out + ".";
}

}  // namespace

std::span<const ContactMethod> allContactMethods() noexcept
{
    return kMethods;
}

std::string_view toString(ContactMethod method) noexcept
{
    switch (method) {
    case ContactMethod::Phone: return "phone";
    case ContactMethod::Text: return "text";
    case ContactMethod::Voicemail: return "voicemail";
    case ContactMethod::Email: return "email";
    case ContactMethod::Visit: return "visit";
    case ContactMethod::AtAgency: return "at_agency";
    case ContactMethod::Letter: return "letter";
    }
    return "phone";
}

std::optional<ContactMethod> contactMethodFromString(std::string_view text) noexcept
{
    for (ContactMethod m : kMethods)
        if (toString(m) == text)
            return m;
    return std::nullopt;
}

std::string contactMethodWords(ContactMethod method)
{
    switch (method) {
    case ContactMethod::Phone: return "Phone";
    case ContactMethod::Text: return "Text";
    case ContactMethod::Voicemail: return "Voicemail";
    case ContactMethod::Email: return "Email";
    case ContactMethod::Visit: return "A visit";
    case ContactMethod::AtAgency: return "At the agency";
    case ContactMethod::Letter: return "A letter";
    }
    return "Phone";
}

Result<std::vector<SafeWindow>> parseSafeTimes(std::string_view text)
{
    std::vector<SafeWindow> out;
    std::string all = lower(text);
    for (char& c : all)
        if (c == '\n' || c == '\r')
            c = ';';
    std::size_t start = 0;
    while (start <= all.size()) {
        const std::size_t end = std::min(all.find(';', start), all.size());
        std::string clause = all.substr(start, end - start);
        const auto first = clause.find_first_not_of(" \t");
        if (first != std::string::npos) {
            clause = clause.substr(first, clause.find_last_not_of(" \t") - first + 1);
            auto w = parseClause(clause);
            if (!w)
                return std::move(w).error();
            out.push_back(*w);
        }
        start = end + 1;
    }
    return out;
}

std::string safeTimesWords(const std::vector<SafeWindow>& windows)
{
    std::string out;
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const SafeWindow& w = windows[i];
        if (i > 0)
            out += "; ";
        if (w.from == 0 && w.to == 24 * 60)
            out += "at any time " + daysWords(w.days);
        else
            out += "between " + hhmm(w.from) + " and " + hhmm(w.to) + " " + daysWords(w.days);
    }
    return out;
}

ContactVerdict checkContact(const SafeContact& answers, ContactMethod method, std::chrono::sys_seconds at)
{
    ContactVerdict v;
    if (method == ContactMethod::AtAgency)
        return v;  // the victim came to the agency: nobody is alerted by it
    std::optional<std::vector<SafeWindow>> windows;
    std::string timesProblem;
    if (!answers.safeTimes.empty()) {
        auto parsed = parseSafeTimes(answers.safeTimes);
        if (parsed)
            windows = std::move(parsed).value();
        else
            timesProblem = "The safe times (\"" + answers.safeTimes.substr(0, 80)
                         + "\") are not in a form Vigil can check: read them before you make contact.";
    }
    const auto answer = answerFor(answers, method);
    if (answer == false) {
        v.allowed = false;
        v.refusal = contactMethodWords(method) + " is unsafe for this victim: " + std::string(riskOf(method)) + ". "
                  + safeInstead(answers, windows);
        return v;
    }
    if (windows && !windows->empty()) {
        const auto local = toLondonTime(at);
        const auto day = std::chrono::floor<std::chrono::days>(local);
        const int minute = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
        const unsigned weekday = std::chrono::weekday(day).iso_encoding() - 1;  // Monday 0
        const bool inside = std::any_of(windows->begin(), windows->end(), [&](const SafeWindow& w) {
            return (w.days & (1u << weekday)) && minute >= w.from && minute < w.to;
        });
        if (!inside) {
            v.allowed = false;
            v.refusal = "It is " + hhmm(minute) + " on " + std::string(kDayNames[weekday])
                      + " in London: the victim said contact is safe only " + safeTimesWords(*windows)
                      + ". Make contact then, or see the victim at the agency.";
            return v;
        }
    }
    if (!answer)
        v.caution = method == ContactMethod::Letter
                        ? "The 124D does not ask whether a letter is safe: send one only if the victim said so."
                        : "Nobody has asked the victim whether " + lowerFirst(contactMethodWords(method))
                              + " is safe: ask, and record the answer in the safe-contact rules.";
    if (!timesProblem.empty())
        v.caution += (v.caution.empty() ? "" : " ") + timesProblem;
    return v;
}

SafeContact safeContactFromFields(const nlohmann::json& fields)
{
    SafeContact s;
    if (!fields.is_object())
        return s;
    const auto flag = [&](const char* key) -> std::optional<bool> {
        auto it = fields.find(key);
        return it != fields.end() && it->is_boolean() ? std::optional<bool>(it->get<bool>()) : std::nullopt;
    };
    const auto text = [&](const char* key) {
        auto it = fields.find(key);
        return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    s.phone = flag("safe_contact.phone");
    s.text = flag("safe_contact.text");
    s.voicemail = flag("safe_contact.voicemail");
    s.email = flag("safe_contact.email");
    s.visit = flag("safe_contact.visit");
    s.safeTimes = text("safe_contact.safe_times");
    s.afraidOf = text("safe_contact.afraid_of");
    return s;
}

}  // namespace vigil
