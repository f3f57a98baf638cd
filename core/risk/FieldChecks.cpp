#include "core/risk/FieldChecks.h"

#include <cctype>

#include "core/risk/Dates.h"

namespace vigil {

namespace {

bool endsWith(std::string_view text, std::string_view tail)
{
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

/// "YYYY-MM-DD" exactly (parseIsoDate also takes a time after it, which no date field holds).
bool isPlainDate(std::string_view text)
{
    return text.size() == 10 && parseIsoDate(text).has_value();
}

std::string phoneProblem(std::string_view text)
{
    if (isPlainDate(text))
        return "This looks like a date, not a phone number: is it in the right field?";
    int digits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c)))
            ++digits;
        else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && i == 0)))
            return "A phone number holds digits, spaces and a leading + only (e.g. 07700 900123).";
    }
    if (digits < 7 || digits > 15)
        return "A phone number has 7 to 15 digits (e.g. 07700 900123).";
    return {};
}

/// The UK postcode shapes: A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA.
bool isUkPostcode(std::string_view text)
{
    std::string packed;
    for (char c : text) {
        if (c != ' ')
            packed += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (packed.size() < 5 || packed.size() > 7)
        return false;
    const std::string_view inward = std::string_view(packed).substr(packed.size() - 3);
    const std::string_view outward = std::string_view(packed).substr(0, packed.size() - 3);
    const auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    if (!digit(inward[0]) || !alpha(inward[1]) || !alpha(inward[2]))
        return false;
    if (!alpha(outward[0]))
        return false;
    for (char c : outward) {
        if (!alpha(c) && !digit(c))
            return false;
    }
    // The outward code holds one or two digits after its letters, perhaps with a letter last.
    return outward.size() >= 2 && (digit(outward[1]) || (outward.size() >= 3 && digit(outward[2])));
}

}  // namespace

bool hasKnownFormat(std::string_view path)
{
    return endsWith(path, ".date_of_birth") || endsWith(path, ".phone") || endsWith(path, ".postcode")
        || path == "incident.date" || endsWith(path, ".due") || endsWith(path, ".date");
}

std::string fieldFormatProblem(std::string_view path, std::string_view text, std::chrono::sys_days today)
{
    text = trimmed(text);
    if (text.empty())
        return {};
    if (endsWith(path, ".date_of_birth")) {
        if (!isPlainDate(text))
            return "A date of birth is a date written YYYY-MM-DD (e.g. 1984-03-21).";
        const auto day = *parseIsoDate(text);
        if (day > today)
            return "A date of birth is in the past: this one is after today.";
        if (daysBetween(day, today) > 120LL * 366)
            return "This date of birth is more than 120 years ago: check the year.";
        return {};
    }
    if (endsWith(path, ".phone"))
        return phoneProblem(text);
    if (endsWith(path, ".postcode"))
        return isUkPostcode(text) ? std::string() : "This does not look like a UK postcode (e.g. SW1A 1AA).";
    if (path == "incident.date") {
        if (!parseIsoDateTime(text) || text.size() < 16)
            return "Write the date and time as YYYY-MM-DDTHH:MM (e.g. 2026-03-12T21:40).";
        if (*parseIsoDate(text) > today + std::chrono::days{1})
            return "This date is in the future: check it.";
        return {};
    }
    if (endsWith(path, ".due") || endsWith(path, ".date")) {
        if (!isPlainDate(text))
            return "Write the date as YYYY-MM-DD (e.g. 2026-03-12).";
        return {};
    }
    return {};
}

}  // namespace vigil
