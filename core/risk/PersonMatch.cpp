#include "core/risk/PersonMatch.h"

#include "core/risk/Dates.h"

namespace vigil {

namespace {

// Base letters for U+0100..U+017F (Latin Extended-A); '*' marks the two-letter ligatures
// (IJ, OE) handled separately.
constexpr std::string_view kLatinExtendedA =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnnoooooo**rrrrrrssssssss"
    "ttttttuuuuuuuuuuuuwwyyyzzzzzzs";
static_assert(kLatinExtendedA.size() == 0x80);

/// ASCII replacement for a code point in Latin-1 Supplement or Latin Extended-A, lower case.
/// Empty view: no folding known (keep the original bytes).
std::string_view foldCodePoint(char32_t cp) noexcept
{
    if (cp >= 0xC0 && cp <= 0xFF) {
        switch (cp) {
        case 0xC6: case 0xE6: return "ae";
        case 0xD0: case 0xF0: return "d";
        case 0xD7: case 0xF7: return " ";
        case 0xDE: case 0xFE: return "th";
        case 0xDF: return "ss";
        default: break;
        }
        // Latin-1 letters in order, upper and lower halves alike.
        constexpr std::string_view latin1 = "aaaaaa?ceeeeiiii?nooooo?ouuuuy??";
        const auto c = latin1[(cp - 0xC0) % 0x20];
        static constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyz";
        if (cp == 0xFF)
            return "y";
        return c == '?' ? std::string_view{} : letters.substr(static_cast<std::size_t>(c - 'a'), 1);
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        if (cp == 0x132 || cp == 0x133)
            return "ij";
        if (cp == 0x152 || cp == 0x153)
            return "oe";
        const char c = kLatinExtendedA[cp - 0x100];
        static constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyz";
        return letters.substr(static_cast<std::size_t>(c - 'a'), 1);
    }
    switch (cp) {
    case 0x2018: case 0x2019: case 0x02BC: case 0x2032: return "'";  // typographic apostrophes
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: return "-";
    case 0x00A0: return " ";
    default: return {};
    }
}

/// Decodes one UTF-8 sequence at `pos`; returns its length (1 for invalid bytes, kept as is).
std::size_t decodeUtf8(std::string_view s, std::size_t pos, char32_t& cp) noexcept
{
    const auto b0 = static_cast<unsigned char>(s[pos]);
    auto cont = [&](std::size_t i) -> int {
        if (pos + i >= s.size())
            return -1;
        const auto b = static_cast<unsigned char>(s[pos + i]);
        return (b & 0xC0U) == 0x80U ? static_cast<int>(b & 0x3FU) : -1;
    };
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if ((b0 & 0xE0U) == 0xC0U) {
        const int c1 = cont(1);
        if (c1 >= 0) {
            cp = (static_cast<char32_t>(b0 & 0x1FU) << 6U) | static_cast<char32_t>(c1);
            return 2;
        }
    } else if ((b0 & 0xF0U) == 0xE0U) {
        const int c1 = cont(1);
        const int c2 = cont(2);
        if (c1 >= 0 && c2 >= 0) {
            cp = (static_cast<char32_t>(b0 & 0x0FU) << 12U) | (static_cast<char32_t>(c1) << 6U)
                 | static_cast<char32_t>(c2);
            return 3;
        }
    }
    cp = 0xFFFD;  // not folded; the raw byte is kept
    return 1;
}

/// Folds accents and typographic punctuation to ASCII; other characters are copied through.
std::string foldToAscii(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t len = decodeUtf8(s, i, cp);
        const std::string_view folded = cp >= 0x80 ? foldCodePoint(cp) : std::string_view{};
        if (!folded.empty())
            out += folded;
        else
            out.append(s.substr(i, len));
        i += len;
    }
    return out;
}

}  // namespace

std::string normaliseName(std::string_view name)
{
    const std::string folded = foldToAscii(name);
    std::string out;
    out.reserve(folded.size());
    bool pendingSpace = false;
    for (const char ch : folded) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == '\'' || ch == '`')
            continue;  // O'Neil and ONeil are the same name
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (c >= 'A' && c <= 'Z') {
            if (pendingSpace && !out.empty())
                out += ' ';
            pendingSpace = false;
            out += static_cast<char>(c - 'A' + 'a');
        } else if (keep) {
            if (pendingSpace && !out.empty())
                out += ' ';
            pendingSpace = false;
            out += ch;
        } else {
            pendingSpace = true;  // spaces, hyphens, dots, commas separate words
        }
    }
    return out;
}

std::string normalisePostcode(std::string_view postcode)
{
    std::string out;
    for (const char ch : postcode) {
        if (ch >= 'a' && ch <= 'z')
            out += static_cast<char>(ch - 'a' + 'A');
        else if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
            out += ch;
    }
    return out;
}

std::string normaliseHouse(std::string_view house)
{
    return normaliseName(house);
}

NormalisedPerson normalisePerson(const Person& person)
{
    return NormalisedPerson{normaliseName(person.name), parseIsoDate(person.dateOfBirth),
                            normalisePostcode(person.address.postcode),
                            normaliseHouse(person.address.houseNumberOrName)};
}

MatchBasis matchPersons(const NormalisedPerson& a, const NormalisedPerson& b) noexcept
{
    if (a.name.empty() || a.name != b.name)
        return MatchBasis::None;
    if (a.dateOfBirth && b.dateOfBirth)
        return *a.dateOfBirth == *b.dateOfBirth ? MatchBasis::NameAndDateOfBirth : MatchBasis::None;
    if (!a.postcode.empty() && !a.house.empty() && a.postcode == b.postcode && a.house == b.house)
        return MatchBasis::NameAndAddress;
    return MatchBasis::None;
}

MatchBasis matchPersons(const Person& a, const Person& b)
{
    return matchPersons(normalisePerson(a), normalisePerson(b));
}

bool sameAddress(const Address& a, const Address& b)
{
    const std::string pa = normalisePostcode(a.postcode);
    const std::string ha = normaliseHouse(a.houseNumberOrName);
    return !pa.empty() && !ha.empty() && pa == normalisePostcode(b.postcode) && ha == normaliseHouse(b.houseNumberOrName);
}

}  // namespace vigil
