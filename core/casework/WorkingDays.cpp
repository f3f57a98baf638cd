#include "core/casework/WorkingDays.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/common/JsonText.h"
#include "core/risk/JsonFile.h"
#include "core/risk/RiskModelDir.h"

namespace vigil {

using namespace std::chrono;

namespace {

/// Every year in England and Wales has at least these: New Year, Good Friday, Easter Monday,
/// Early May, Spring, Summer, Christmas, Boxing Day. A whole year with fewer is a list cut short.
constexpr int kMinimumPerYear = 8;
/// Far more than any real list; keeps a stray file from taking the clock's memory.
constexpr std::size_t kMaximumEvents = 10000;
/// The text of a list: gov.uk's whole file (three divisions, 2018 on) is about 20 KB, Vigil's
/// 2006-2028 list about 40 KB.
constexpr std::size_t kMaximumBytes = 4 * 1024 * 1024;
/// A list nests four deep (the object, a division, its events, an event); a deeper text is not one.
constexpr std::size_t kMaximumDepth = 16;

/// Exactly "YYYY-MM-DD", a real date.
std::optional<CivilDate> parseStrictDate(const nlohmann::json& value)
{
    if (!value.is_string())
        return std::nullopt;
    const std::string& text = value.get_ref<const std::string&>();
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (std::size_t p = 0; p < 3; ++p) {
        for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return std::nullopt;
            parts[p] = parts[p] * 10 + (text[i] - '0');
        }
    }
    const year_month_day ymd{year{parts[0]}, month{static_cast<unsigned>(parts[1])}, day{static_cast<unsigned>(parts[2])}};
    if (!ymd.ok())
        return std::nullopt;
    return CivilDate{ymd};
}

bool wholeYears(CivilDate from, CivilDate to)
{
    const year_month_day a{from};
    const year_month_day b{to};
    return a.month() == January && a.day() == day{1} && b.month() == December && b.day() == day{31};
}

std::string yearText(CivilDate d) { return std::to_string(static_cast<int>(year_month_day{d}.year())); }

class ListParser {
public:
    explicit ListParser(std::string_view fileName) : m_file(fileName) {}

    Status parse(const nlohmann::json& root, int& version, std::string& source, CivilDate& from, CivilDate& to,
                 std::vector<BankHoliday>& out) const
    {
        if (!root.is_object())
            return fail("", "the file must contain one JSON object, as gov.uk's bank-holidays.json does");
        const auto vigil = root.find("vigil");
        if (vigil == root.end() || !vigil->is_object())
            return fail("/vigil", "the \"vigil\" block is missing: add it with version, source, covers_from and "
                                  "covers_to, as in the list shipped with Vigil");
        const auto v = vigil->find("version");
        if (v == vigil->end() || !v->is_number_integer() || v->get<long long>() < 1 || v->get<long long>() > 1000000)
            return fail("/vigil/version", "version must be a whole number of at least 1");
        version = v->get<int>();
        const auto s = vigil->find("source");
        if (s == vigil->end() || !s->is_string() || s->get_ref<const std::string&>().empty())
            return fail("/vigil/source", "source must say where the dates came from");
        source = s->get<std::string>();
        const auto f = vigil->find("covers_from");
        const auto t = vigil->find("covers_to");
        const auto fromDate = f == vigil->end() ? std::nullopt : parseStrictDate(*f);
        if (!fromDate)
            return fail("/vigil/covers_from", "covers_from must be the first date the list covers, as YYYY-MM-DD");
        const auto toDate = t == vigil->end() ? std::nullopt : parseStrictDate(*t);
        if (!toDate)
            return fail("/vigil/covers_to", "covers_to must be the last date the list covers, as YYYY-MM-DD");
        if (*toDate < *fromDate)
            return fail("/vigil/covers_to", "covers_to is before covers_from");
        from = *fromDate;
        to = *toDate;

        const auto division = root.find("england-and-wales");
        if (division == root.end() || !division->is_object())
            return fail("/england-and-wales", "the \"england-and-wales\" list is missing (Scotland's and Northern "
                                              "Ireland's lists are not used: their bank holidays differ)");
        if (const auto d = division->find("division");
            d != division->end() && !(d->is_string() && d->get_ref<const std::string&>() == "england-and-wales"))
            return fail("/england-and-wales/division", "division must be \"england-and-wales\"");
        const auto events = division->find("events");
        if (events == division->end() || !events->is_array())
            return fail("/england-and-wales/events", "events must be a list of bank holidays");
        if (events->size() > kMaximumEvents)
            return fail("/england-and-wales/events", "the list is far longer than any real one");

        out.clear();
        for (std::size_t i = 0; i < events->size(); ++i) {
            const nlohmann::json& e = (*events)[i];
            const std::string at = "/england-and-wales/events/" + std::to_string(i);
            if (!e.is_object())
                return fail(at, "each event needs a title and a date");
            BankHoliday h;
            const auto date = e.find("date");
            const auto parsed = date == e.end() ? std::nullopt : parseStrictDate(*date);
            if (!parsed)
                return fail(at + "/date", "the date must be a real date written YYYY-MM-DD");
            h.date = *parsed;
            const auto title = e.find("title");
            if (title == e.end() || !title->is_string() || title->get_ref<const std::string&>().empty())
                return fail(at + "/title", "each event needs a title (\"Christmas Day\")");
            h.title = title->get<std::string>();
            if (const auto notes = e.find("notes"); notes != e.end()) {
                if (!notes->is_string())
                    return fail(at + "/notes", "notes must be text (it may be empty)");
                h.notes = notes->get<std::string>();
            }
            if (const auto bunting = e.find("bunting"); bunting != e.end()) {
                if (!bunting->is_boolean())
                    return fail(at + "/bunting", "bunting must be true or false");
                h.bunting = bunting->get<bool>();
            }
            const weekday wd{h.date};
            if (wd == Saturday || wd == Sunday)
                return fail(at + "/date", formatCivilDate(h.date) + " is a " + (wd == Saturday ? "Saturday" : "Sunday")
                                              + "; the list gives the weekday a bank holiday is taken on (the "
                                                "substitute day), as gov.uk does");
            if (h.date < from || h.date > to)
                return fail(at + "/date", formatCivilDate(h.date) + " is outside covers_from to covers_to ("
                                              + formatCivilDate(from) + " to " + formatCivilDate(to) + ")");
            out.push_back(std::move(h));
        }
        std::stable_sort(out.begin(), out.end(),
                         [](const BankHoliday& a, const BankHoliday& b) { return a.date < b.date; });
        for (std::size_t i = 1; i < out.size(); ++i)
            if (out[i].date == out[i - 1].date)
                return fail("/england-and-wales/events", formatCivilDate(out[i].date) + " is listed twice (\""
                                                             + out[i - 1].title + "\" and \"" + out[i].title
                                                             + "\"): keep one");

        // A year the coverage claims in full must look like a whole year of bank holidays.
        std::map<int, int> perYear;
        for (const BankHoliday& h : out)
            ++perYear[static_cast<int>(year_month_day{h.date}.year())];
        for (int y = static_cast<int>(year_month_day{from}.year()); y <= static_cast<int>(year_month_day{to}.year()); ++y) {
            const CivilDate first{year{y} / January / 1};
            const CivilDate last{year{y} / December / 31};
            if (first < from || last > to)
                continue;
            const int count = perYear[y];
            if (count < kMinimumPerYear)
                return fail("/england-and-wales/events",
                            "it lists " + std::to_string(count) + " bank holiday" + (count == 1 ? "" : "s") + " for "
                                + std::to_string(y) + ", and England and Wales has at least "
                                + std::to_string(kMinimumPerYear) + " a year: add the missing days, or end covers_to at "
                                + std::to_string(y - 1) + "-12-31");
        }
        return {};
    }

private:
    Error fail(const std::string& pointer, const std::string& problem) const
    {
        const std::string at = pointer.empty() ? "/" : pointer;
        return makeError(ErrorCode::MalformedModel,
                         "Bank-holiday file " + m_file + " is not valid at " + at + ": " + problem
                             + ". Correct the file (docs/victims-code.md says what it must hold).",
                         at);
    }

    std::string m_file;
};

Error outsideCoverage(const WorkingDays& list, CivilDate day)
{
    return makeError(ErrorCode::InvalidArgument,
                     "The bank-holiday list covers " + list.coverageWords() + ", so Vigil cannot tell whether "
                         + civilDateWords(day) + " is a working day: ask your administrator to update it.",
                     "bank_holidays");
}

/// "version 1, 2006 to 2028".
std::string describe(const WorkingDays& list)
{
    return "version " + std::to_string(list.version()) + ", " + list.coverageWords();
}

}  // namespace

Result<WorkingDays> WorkingDays::parse(std::string_view jsonText, std::string_view fileName)
{
    if (jsonText.size() > kMaximumBytes || vigil::json::nestsDeeperThan(jsonText, kMaximumDepth))
        return makeError(ErrorCode::MalformedModel,
                         "Bank-holiday file " + std::string{fileName} + " is not a bank-holiday list: it is "
                             + (jsonText.size() > kMaximumBytes ? "far larger" : "nested far deeper")
                             + " than any real one. Start from a copy of the list shipped with Vigil "
                               "(docs/victims-code.md).",
                         "/");
    auto root = parseJsonText(jsonText, fileName, "Bank-holiday file");
    if (!root.ok())
        return std::move(root).error();
    WorkingDays list;
    VIGIL_TRY(ListParser{fileName}.parse(*root, list.m_version, list.m_source, list.m_from, list.m_to, list.m_holidays));
    return list;
}

Result<WorkingDays> WorkingDays::loadFile(const std::filesystem::path& path)
{
    auto text = readTextFile(path, "bank-holiday list");
    if (!text.ok())
        return std::move(text).error();
    return parse(*text, path.string());
}

std::string WorkingDays::coverageWords() const
{
    if (wholeYears(m_from, m_to))
        return yearText(m_from) + " to " + yearText(m_to);
    return formatCivilDate(m_from) + " to " + formatCivilDate(m_to);
}

Status WorkingDays::covers(CivilDate day) const
{
    if (day < m_from || day > m_to)
        return outsideCoverage(*this, day);
    return {};
}

Result<const BankHoliday*> WorkingDays::bankHoliday(CivilDate day) const
{
    VIGIL_TRY(covers(day));
    const auto it = std::lower_bound(m_holidays.begin(), m_holidays.end(), day,
                                     [](const BankHoliday& h, CivilDate d) { return h.date < d; });
    if (it != m_holidays.end() && it->date == day)
        return &*it;
    return static_cast<const BankHoliday*>(nullptr);
}

Result<bool> WorkingDays::isWorkingDay(CivilDate day) const
{
    auto holiday = bankHoliday(day);
    if (!holiday.ok())
        return std::move(holiday).error();
    const weekday wd{day};
    return wd != Saturday && wd != Sunday && *holiday == nullptr;
}

Result<CivilDate> WorkingDays::addWorkingDays(CivilDate from, int n) const
{
    if (n < 0)
        return makeError(ErrorCode::InvalidArgument,
                         "A number of working days cannot be negative (" + std::to_string(n) + "): this is a bug in Vigil.");
    CivilDate day = from;
    for (int counted = 0; counted < n;) {
        day += days{1};
        auto working = isWorkingDay(day);
        if (!working.ok())
            return std::move(working).error();
        if (*working)
            ++counted;
    }
    return day;
}

Result<sys_seconds> WorkingDays::endOfWorkingDaysAfter(sys_seconds event, int n) const
{
    auto due = addWorkingDays(londonDate(event), n);
    if (!due.ok())
        return std::move(due).error();
    return londonDayEnd(*due);
}

Result<sys_seconds> WorkingDays::noticeHearingDue(sys_seconds given, hours within) const
{
    seconds left = within;
    sys_seconds at = given;
    for (CivilDate day = londonDate(given);; day += days{1}) {
        auto holiday = bankHoliday(day);
        if (!holiday.ok())
            return std::move(holiday).error();
        const year_month_day ymd{day};
        const bool christmasDay = ymd.month() == December && ymd.day() == std::chrono::day{25};
        const bool disregarded = weekday{day} == Sunday || christmasDay || *holiday != nullptr;
        const sys_seconds end = londonDayEnd(day);
        if (!disregarded) {
            if (end - at >= left)
                return at + left;
            left -= end - at;
        }
        at = end;
    }
}

namespace {

/// A list other than the shipped one, and what became of it.
struct Candidate {
    BankHolidaySource source = BankHolidaySource::Server;
    std::string name;             ///< "The bank-holiday list from the server", "The administrator's bank-holiday file ..."
    std::filesystem::path file;   ///< empty for the server's list
    std::optional<WorkingDays> list;  ///< parsed and usable
    std::string refusal;          ///< why not usable, in words
};

/// Why `a` may not stand in for the shipped list `s`, or "" when it may.
std::string refusalAgainst(const WorkingDays& a, const WorkingDays& s, BankHolidaySource source)
{
    const bool server = source == BankHolidaySource::Server;
    if (a.version() < s.version())
        return "its version (" + std::to_string(a.version()) + ") is older than the shipped list's ("
            + std::to_string(s.version()) + ")"
            + (server ? ": the administrator imports a newer one with vigil-admin bank-holidays import"
                      : ": raise its version when you update it");
    if (a.coversTo() < s.coversTo())
        return "it covers only to " + formatCivilDate(a.coversTo()) + ", and the shipped list covers to "
            + formatCivilDate(s.coversTo()) + ": add the later years from gov.uk";
    if (a.coversFrom() > s.coversFrom())
        return "it starts at " + formatCivilDate(a.coversFrom()) + ", and the shipped list goes back to "
            + formatCivilDate(s.coversFrom()) + ": keep the earlier years (start from a copy of the shipped file)";
    return {};
}

std::string sentence(const std::string& words)
{
    return words + (words.empty() || words.back() == '.' ? "" : ".");
}

/// "the list it shipped with (version 1, 2006 to 2028)" and the like, for "Vigil is using ...".
std::string lowerFirst(std::string words)
{
    if (!words.empty() && words[0] >= 'A' && words[0] <= 'Z')
        words[0] = static_cast<char>(words[0] - 'A' + 'a');
    return words;
}

}  // namespace

Result<BankHolidayChoice> loadBankHolidays(const std::filesystem::path& shipped,
                                           const std::optional<std::filesystem::path>& adminCopy)
{
    return chooseBankHolidays(shipped, std::nullopt, adminCopy);
}

Result<BankHolidayChoice> chooseBankHolidays(const std::filesystem::path& shipped,
                                             const std::optional<std::string>& fromServer,
                                             const std::optional<std::filesystem::path>& adminCopy)
{
    auto own = WorkingDays::loadFile(shipped);
    BankHolidayOverride adminState = adminCopy ? BankHolidayOverride::Absent : BankHolidayOverride::NotGiven;
    int serverVersion = 0;

    // The other lists, in the order a tie goes to the later: the server's, then the administrator's.
    std::vector<Candidate> candidates;
    if (fromServer && !fromServer->empty()) {
        Candidate c;
        c.source = BankHolidaySource::Server;
        c.name = "The bank-holiday list from the server";
        auto parsed = WorkingDays::parse(*fromServer, "from the server");
        if (!parsed.ok()) {
            c.refusal = parsed.error().message;
        } else {
            serverVersion = parsed->version();
            c.list = std::move(parsed).value();
        }
        candidates.push_back(std::move(c));
    }
    std::error_code ec;
    if (adminCopy && std::filesystem::exists(*adminCopy, ec)) {
        Candidate c;
        c.source = BankHolidaySource::AdminCopy;
        c.name = "The administrator's bank-holiday file " + adminCopy->string();
        c.file = *adminCopy;
        auto parsed = WorkingDays::loadFile(*adminCopy);
        if (!parsed.ok())
            c.refusal = parsed.error().message;
        else
            c.list = std::move(parsed).value();
        candidates.push_back(std::move(c));
    }
    for (Candidate& c : candidates) {
        if (c.list && own.ok()) {
            c.refusal = refusalAgainst(*c.list, *own, c.source);
            if (!c.refusal.empty())
                c.list.reset();
        }
    }

    // The highest usable version; a tie goes to the later source.
    const Candidate* chosen = nullptr;
    for (const Candidate& c : candidates) {
        if (!c.list)
            continue;
        const int best = chosen ? chosen->list->version() : (own.ok() ? own->version() : 0);
        if (c.list->version() >= best)
            chosen = &c;
    }

    std::string note;
    const auto add = [&note](const std::string& words) { note += (note.empty() ? "" : " ") + sentence(words); };
    if (chosen)
        add(chosen->name + " is in use (" + describe(*chosen->list) + ")");
    for (const Candidate& c : candidates) {
        if (&c == chosen)
            continue;
        if (!c.list)
            add(c.name + " was not used: " + c.refusal);
        else
            add(c.name + " is not used: " + lowerFirst(chosen->name) + " is newer or as new (" + describe(*chosen->list)
                + ")");
        if (c.source == BankHolidaySource::AdminCopy)
            adminState = c.list ? BankHolidayOverride::Superseded : BankHolidayOverride::Refused;
    }
    if (chosen && chosen->source == BankHolidaySource::AdminCopy)
        adminState = BankHolidayOverride::Used;

    if (chosen) {
        if (!own.ok())
            add("The list shipped with Vigil could not be read: " + own.error().message);
        BankHolidayChoice choice{*chosen->list, chosen->file, adminState, chosen->source, serverVersion, std::move(note)};
        return choice;
    }
    if (!own.ok()) {
        std::string message = own.error().message;
        for (const Candidate& c : candidates)
            message += " " + sentence(c.name + " could not be used either: " + c.refusal);
        return makeError(own.error().code, std::move(message), own.error().field);
    }
    if (!note.empty())
        add("Vigil is using the list it shipped with (" + describe(*own) + ")");
    return BankHolidayChoice{std::move(*own), shipped, adminState, BankHolidaySource::Shipped, serverVersion, std::move(note)};
}

std::filesystem::path shippedBankHolidayFile()
{
    return shippedRiskModelPath() / std::string{kBankHolidayFileName};
}

}  // namespace vigil
