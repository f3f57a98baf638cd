#include "core/figures/FigureReport.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "core/risk/Dates.h"
#include "core/risk/DiversityCategories.h"

namespace vigil {

namespace {

/// How the narrative says one figure: the one table a new figure needs an entry in.
struct FigureWords {
    std::string_view id;
    /// What the figure counts, as the denominator of another ("crimes where a power of arrest
    /// existed") and in words about a withheld number.
    std::string_view noun;
    /// A plain count: the whole sentence, with {count} (and {In period}: "In March 2026" or
    /// "From April 2025 to March 2026"; {period}; {scope}).
    /// A share: what its numerator did, after "N of the M <noun of its denominator>".
    std::string_view words;
};

// clang-format off
constexpr std::array kWords{
    FigureWords{"incidents", "incidents", "{In period} {scope} recorded {count} domestic abuse incidents (124Ds received)."},
    FigureWords{"crimes", "crimes", "were recorded as crimes (the crime conversion rate)"},
    FigureWords{"sso_crimes", "crimes flagged as a serious sexual offence", "were also flagged as a serious sexual offence"},
    FigureWords{"repeat_victim_incidents", "incidents with a repeat victim", "involved a repeat victim"},
    FigureWords{"hbv_fm_incidents", "incidents flagged as honour-based violence or forced marriage", "were flagged as honour-based violence or forced marriage"},
    FigureWords{"arrests", "incidents with an arrest", "led to an arrest, at the scene or later"},
    FigureWords{"power_of_arrest_crimes", "crimes where a power of arrest existed", "gave a power of arrest"},
    FigureWords{"arrests_where_power", "arrests where a power of arrest existed", "led to an arrest (the arrest rate)"},
    FigureWords{"charged", "crimes with a charge", "led to a suspect being charged"},
    FigureWords{"cris_linked", "crimes with a CRIS reference", "had a CRIS reference"},
    FigureWords{"crimint_linked", "incidents with a CRIMINT reference", "had a CRIMINT reference"},
    FigureWords{"incidents_with_children", "incidents with a child or dependant recorded", "recorded a child or dependant"},
    FigureWords{"merlin_linked", "incidents with a MERLIN reference", "had a MERLIN reference"},
    FigureWords{"cad_recorded", "incidents with a CAD reference", "had a CAD reference"},
    FigureWords{"cad_to_cris", "incidents with a CAD and a CRIS reference", "had a CRIS reference too (CAD to CRIS conversion)"},
    FigureWords{"victims", "victims", "The incidents named {count} victims."},
    FigureWords{"high_risk_victims", "victims at high risk", "were assessed as high risk"},
    FigureWords{"medium_risk_victims", "victims at medium risk", "were assessed as medium risk"},
    FigureWords{"marac_referrals", "victims referred to a MARAC", "were referred to a MARAC"},
    FigureWords{"feedback_forms", "victim feedback forms", "{count} victim feedback forms were issued in the period."},
    FigureWords{"qa_decisions", "quality-assurance decisions", "Supervisors made {count} quality-assurance decisions on 124Ds in the period."},
    FigureWords{"qa_returned", "returned 124Ds", "returned the 124D to its officer"},
    // The crime's outcome (issue 25, "the record first"; the outcome figures of Figures.cpp).
    FigureWords{"outcomes_recorded", "crimes with an outcome recorded", "had their outcome recorded"},
    FigureWords{"sanction_detections", "sanction detections", "ended in a sanction detection (a charge, a caution or another sanction)"},
    FigureWords{"cautioned", "cautions", "were cautions"},
    FigureWords{"unsupported_prosecutions", "prosecutions without the victim's support", "went ahead without the victim's support (unsupported prosecutions)"},
    FigureWords{"no_further_action", "crimes with no further action", "ended with no further action, for a reason other than the victim withdrawing"},
    FigureWords{"victim_withdrew", "crimes the victim withdrew from", "went no further because the victim withdrew their support"},
    FigureWords{"court_results", "crimes with a court result", "have the court's result recorded"},
    FigureWords{"court_convictions", "convictions", "ended in a conviction"},
    FigureWords{"arrests_later", "incidents with a later arrest", "led to an arrest after the scene"},
    FigureWords{"da_homicides", "domestic abuse homicides", "were recorded as a domestic abuse homicide"},
    // The casework and supervision figures (issue 25; FigureClocks.h).
    FigureWords{"victims_code_due", "Victims' Code duties due", "{count} Victims' Code duties to victims (first contact, needs assessment, victim services, updates and bail consultations) fell due in the period."},
    FigureWords{"victims_code_on_time", "Victims' Code duties done on time", "were done on time"},
    FigureWords{"repeat_marac_referrals", "repeat MARAC referrals", "had already been referred to a MARAC in the {window} before the incident (repeat referrals)"},
    FigureWords{"reviews_due", "investigations due a supervisor's review", "At the end of the period {count} investigations were due a supervisor's review."},
    FigureWords{"reviews_overdue", "overdue reviews", "were overdue"},
};
// clang-format on

const FigureWords* wordsFor(std::string_view id)
{
    for (const FigureWords& w : kWords) {
        if (w.id == id)
            return &w;
    }
    return nullptr;
}

/// The victims' questions the equality paragraph and the CSV describe, in the board's order.
constexpr std::array<std::string_view, 6> kQuestions{"gender", "age_band", "ethnicity", "disability", "religion",
                                                     "sexual_orientation"};
constexpr std::string_view kBreakdownFigure = "victims";

bool small(std::int64_t n) { return n > 0 && n < kSmallestPublished; }

std::optional<int> rateOf(const PublishedCount& count, const PublishedCount& of)
{
    if (!count || !of || *of <= 0)
        return std::nullopt;
    return static_cast<int>((*count * 200 + *of) / (*of * 2));  // to the nearest whole per cent, halves up
}

/// A raw breakdown of the victims: question → code → count.
using RawBreakdown = std::map<std::string, std::map<std::string, std::int64_t>>;

RawBreakdown victimsBreakdown(const Figure& f)
{
    RawBreakdown out;
    for (std::string_view q : kQuestions) {
        const std::string dimension = "victim." + std::string(q);
        const auto it = f.breakdowns.find(dimension);
        if (it == f.breakdowns.end())
            continue;
        for (const auto& [code, c] : it->second) {
            if (c.count > 0)
                out[dimension][code] = c.count;
        }
    }
    return out;
}

/// One scope published: the rules of docs/figures.md ("Small counts"). `parts`, for the
/// boroughs together: each borough's exact figures and what was published of them.
PublishedFigures publishScope(const FigureSet& set, const std::string& borough,
                              const std::vector<std::pair<const FigureSet*, const PublishedFigures*>>* parts)
{
    PublishedFigures out;
    out.borough = borough;
    // 1. Each count: small, a small remainder, or (for a total) the withheld parts add up to 1-4.
    for (const Figure& f : set.figures) {
        PublishedFigure p;
        p.id = f.id;
        p.over = f.over;
        const bool share = !f.over.empty();
        const std::int64_t c = f.total.count;
        if (small(c))
            p.withheld = Withheld::Small;
        else if (parts) {
            std::int64_t hiddenCount = 0;
            std::int64_t hiddenRest = 0;
            for (const auto& [raw, published] : *parts) {
                const PublishedFigure* pf = published->find(f.id);
                const Figure* rf = raw->find(f.id);
                if (!pf || !rf || pf->count)
                    continue;
                hiddenCount += rf->total.count;
                hiddenRest += rf->total.of - rf->total.count;
            }
            if (small(hiddenCount) || (share && small(hiddenRest)))
                p.withheld = Withheld::Parts;
        }
        if (p.withheld == Withheld::No)
            p.count = c;
        out.figures.push_back(std::move(p));
    }
    // A share whose denominator is shown and that leaves 1 to 4 of it: "410 of 412" would say 2
    // were not. Until nothing changes, as withholding one count withholds the shares of it.
    for (bool changed = true; changed;) {
        changed = false;
        for (PublishedFigure& p : out.figures) {
            const Figure* raw = set.find(p.id);
            const PublishedFigure* over = p.over.empty() ? nullptr : out.find(p.over);
            if (!raw || !p.count || !over || !over->count)
                continue;
            if (small(raw->total.of - raw->total.count)) {
                p.count.reset();
                p.withheld = Withheld::Remainder;
                changed = true;
            }
        }
    }
    // 2. A denominator is the count of the figure it names, shown or withheld with it; then rates.
    for (PublishedFigure& p : out.figures) {
        if (p.over.empty())
            continue;
        if (const PublishedFigure* over = out.find(p.over)) {
            p.of = over->count;
        } else {
            const Figure* raw = set.find(p.id);
            if (raw && !small(raw->total.of))
                p.of = raw->total.of;
        }
        p.ratePercent = rateOf(p.count, p.of);
    }
    // 3. The victims' diversity: small categories withheld, then more until what the withheld
    // ones add up to (the total less the categories shown) cannot be from 1 to 4.
    const Figure* victims = set.find(kBreakdownFigure);
    PublishedFigure* published = nullptr;
    for (PublishedFigure& p : out.figures) {
        if (p.id == kBreakdownFigure)
            published = &p;
    }
    if (!victims || !published)
        return out;
    const RawBreakdown raw = victimsBreakdown(*victims);
    for (const auto& [dimension, categories] : raw) {
        std::vector<PublishedCategory> list;
        for (const auto& [code, n] : categories) {
            PublishedCategory c;
            c.code = code;
            if (!published->count || small(n)) {
                c.withheld = published->count ? Withheld::Small : Withheld::Parts;
                if (small(n))
                    c.withheld = Withheld::Small;
            } else if (parts) {
                std::int64_t hidden = 0;
                for (const auto& [rawSet, pub] : *parts) {
                    const Figure* rv = rawSet->find(kBreakdownFigure);
                    const PublishedFigure* pv = pub->find(kBreakdownFigure);
                    if (!rv || !pv)
                        continue;
                    const auto d = pv->breakdowns.find(dimension);
                    bool shown = false;
                    if (d != pv->breakdowns.end()) {
                        for (const PublishedCategory& pc : d->second)
                            shown = shown || (pc.code == code && pc.count);
                    }
                    if (shown)
                        continue;
                    const RawBreakdown rb = victimsBreakdown(*rv);
                    if (const auto rd = rb.find(dimension); rd != rb.end()) {
                        if (const auto rc = rd->second.find(code); rc != rd->second.end())
                            hidden += rc->second;
                    }
                }
                if (small(hidden))
                    c.withheld = Withheld::Parts;
            }
            if (c.withheld == Withheld::No)
                c.count = n;
            list.push_back(std::move(c));
        }
        if (published->count) {
            const auto hiddenTotal = [&] {
                std::int64_t shown = 0;
                for (const PublishedCategory& c : list)
                    shown += c.count.value_or(0);
                return *published->count - shown;
            };
            while (small(hiddenTotal())) {
                // The smallest category still shown is withheld too.
                PublishedCategory* smallest = nullptr;
                for (PublishedCategory& c : list) {
                    if (c.count && *c.count > 0 && (!smallest || *c.count < *smallest->count))
                        smallest = &c;
                }
                if (!smallest)
                    break;
                smallest->count.reset();
                smallest->withheld = Withheld::Parts;
            }
        }
        for (PublishedCategory& c : list)
            c.ratePercent = rateOf(c.count, published->count);
        published->breakdowns[dimension] = std::move(list);
    }
    return out;
}

std::string thousands(std::int64_t n)
{
    std::string digits = std::to_string(n);
    std::string out;
    const auto len = digits.size();
    for (std::size_t i = 0; i < len; ++i) {
        out += digits[i];
        if (digits[i] != '-' && (len - i - 1) % 3 == 0 && i + 1 < len)
            out += ',';
    }
    return out;
}

void replaceAll(std::string& text, std::string_view what, const std::string& with)
{
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
}

std::string capitalised(std::string s)
{
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string joinedNames(const std::vector<std::string>& names)
{
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};

std::string dayInWords(std::chrono::sys_days day)
{
    const std::chrono::year_month_day d{day};
    return std::to_string(static_cast<unsigned>(d.day())) + " " + std::string(kMonths[static_cast<unsigned>(d.month()) - 1])
         + " " + std::to_string(static_cast<int>(d.year()));
}

/// One figure's sentence in a scope ("" when there is nothing to say: a share of nothing).
/// The repeat MARAC window in words: "12 months" for a year's 365 days, else the days.
std::string windowInWords(int days)
{
    return days == 365 ? std::string("12 months") : std::to_string(days) + (days == 1 ? " day" : " days");
}

std::string sentenceFor(const PublishedFigure& f, const std::string& period, const std::string& scopeName,
                        const std::string& window)
{
    const FigureWords* words = wordsFor(f.id);
    if (!words)
        return {};
    if (f.over.empty()) {
        if (f.withheld == Withheld::Parts)
            return "The number of " + std::string(words->noun) + " in " + scopeName
                   + (period.find(" to ") == std::string::npos ? " in " : " from ") + period
                   + " is withheld: with the boroughs' own figures it would let a count under 5 be worked out.";
        std::string s(words->words);
        std::string count = f.withheld == Withheld::Small ? "fewer than 5" : (*f.count == 0 ? "no" : thousands(*f.count));
        replaceAll(s, "{In period}", (period.find(" to ") == std::string::npos ? "In " : "From ") + period);
        replaceAll(s, "{period}", period);
        replaceAll(s, "{scope}", scopeName);
        replaceAll(s, "{count}", count);
        return capitalised(s);
    }
    const FigureWords* overWords = wordsFor(f.over);
    const std::string overNoun = overWords ? std::string(overWords->noun) : f.over;
    if (f.of && *f.of == 0)
        return {};  // nothing to take a share of: the denominator's own sentence said "no ..."
    const std::string rate = f.ratePercent ? " (" + std::to_string(*f.ratePercent) + "%)" : "";
    std::string predicate(words->words);
    replaceAll(predicate, "{window}", window);
    switch (f.withheld) {
    case Withheld::No:
        if (!f.of)
            return capitalised((*f.count == 0 ? std::string("no") : thousands(*f.count)) + " " + overNoun + " " + predicate
                               + ".");
        return capitalised((*f.count == 0 ? std::string("none") : thousands(*f.count)) + " of the " + thousands(*f.of) + " "
                           + overNoun + rate + " " + predicate + ".");
    case Withheld::Small:
        if (!f.of)
            return "Fewer than 5 " + overNoun + " " + predicate + ".";
        return "Fewer than 5 of the " + thousands(*f.of) + " " + overNoun + " " + predicate + ".";
    case Withheld::Remainder:
        if (!f.of)
            return "All but fewer than 5 of the " + overNoun + " " + predicate + ".";
        return "All but fewer than 5 of the " + thousands(*f.of) + " " + overNoun + " " + predicate + ".";
    case Withheld::Parts:
        return "How many of the " + (f.of ? thousands(*f.of) + " " : std::string()) + overNoun + " " + predicate
               + " is withheld: with the boroughs' own figures it would let a count under 5 be worked out.";
    }
    return {};
}

std::string labelOf(const DiversityCategories* lists, std::string_view question, const std::string& code)
{
    if (code == "not_recorded")
        return "not recorded";
    if (code == "not_stated")
        return "not stated";
    return lists ? lists->labelFor(question, code) : code;
}

/// The categories of a question in the order the lists give them, then any others, then
/// "not_stated" and "not_recorded".
std::vector<const PublishedCategory*> ordered(const std::vector<PublishedCategory>& list, std::string_view question,
                                              const DiversityCategories* lists)
{
    std::vector<std::string> order;
    if (lists) {
        if (const DiversityQuestion* q = lists->question(question)) {
            for (const DiversityOption& o : q->options) {
                if (o.code != "not_stated")
                    order.push_back(o.code);
            }
        }
    }
    const auto rank = [&](const std::string& code) -> std::size_t {
        if (code == "not_recorded")
            return order.size() + 2;
        if (code == "not_stated")
            return order.size() + 1;
        const auto it = std::find(order.begin(), order.end(), code);
        return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
    };
    std::vector<const PublishedCategory*> out;
    for (const PublishedCategory& c : list)
        out.push_back(&c);
    std::stable_sort(out.begin(), out.end(), [&](const PublishedCategory* a, const PublishedCategory* b) {
        const auto ra = rank(a->code);
        const auto rb = rank(b->code);
        return ra != rb ? ra < rb : a->code < b->code;
    });
    return out;
}

std::string questionWords(std::string_view question)
{
    if (question == "age_band")
        return "age";
    if (question == "sexual_orientation")
        return "sexual orientation";
    return std::string(question);
}

std::string equalitySentence(const PublishedFigures& scope, const std::string& scopeName, const DiversityCategories* lists)
{
    const PublishedFigure* victims = scope.find(kBreakdownFigure);
    if (!victims)
        return {};
    if (!victims->count && victims->withheld == Withheld::Parts)
        return "In " + scopeName + " the number of victims is withheld, so they are not described by gender, age, "
               "ethnicity, disability, religion or sexual orientation.";
    if (!victims->count)
        return "In " + scopeName + " there were too few victims to describe them by gender, age, ethnicity, disability, "
               "religion or sexual orientation without risk of identifying someone.";
    if (*victims->count == 0 || victims->breakdowns.empty())
        return {};
    std::string s = "Of the " + thousands(*victims->count) + " victims in " + scopeName;
    bool first = true;
    for (std::string_view q : kQuestions) {
        const auto it = victims->breakdowns.find("victim." + std::string(q));
        if (it == victims->breakdowns.end())
            continue;
        s += first ? ", by " : "; by ";
        first = false;
        s += questionWords(q) + ": ";
        bool any = false;
        for (const PublishedCategory* c : ordered(it->second, q, lists)) {
            s += any ? ", " : "";
            any = true;
            std::string n;
            if (c->count)
                n = thousands(*c->count) + (c->ratePercent ? ", " + std::to_string(*c->ratePercent) + "%" : "");
            else
                n = c->withheld == Withheld::Small ? "fewer than 5" : "withheld";
            s += labelOf(lists, q, c->code) + " (" + n + ")";
        }
    }
    return s + ".";
}

std::string csvField(const std::string& v)
{
    // Quoted when needed; a leading = + - @ neutralised so a spreadsheet does not run it.
    std::string text = v;
    if (!text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos)
        text.insert(0, "'");
    if (text.find_first_of(",\"\n\r") == std::string::npos && text == v)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string countText(const PublishedCount& c) { return c ? std::to_string(*c) : std::string(); }

constexpr std::string_view kAllBoroughs = "(all)";

}  // namespace

std::string_view withheldCode(Withheld why) noexcept
{
    switch (why) {
    case Withheld::No:
        return "";
    case Withheld::Small:
        return "small";
    case Withheld::Remainder:
        return "remainder";
    case Withheld::Parts:
        return "parts";
    }
    return "";
}

const PublishedFigure* PublishedFigures::find(std::string_view id) const noexcept
{
    for (const PublishedFigure& f : figures) {
        if (f.id == id)
            return &f;
    }
    return nullptr;
}

PublishedFigures publishFigures(const FigureSet& set, const std::string& borough)
{
    return publishScope(set, borough, nullptr);
}

BoardReport publishBoardReport(const std::string& from, const std::string& to, const std::vector<FigureSet>& boroughs)
{
    BoardReport report;
    report.from = from;
    report.to = to;
    if (!boroughs.empty())
        report.repeatMaracWindowDays = boroughs.front().repeatMaracWindowDays;
    for (const FigureSet& s : boroughs)
        report.scopes.push_back(publishScope(s, s.request.borough, nullptr));
    if (boroughs.size() > 1) {
        std::vector<std::pair<const FigureSet*, const PublishedFigures*>> parts;
        for (std::size_t i = 0; i < boroughs.size(); ++i)
            parts.emplace_back(&boroughs[i], &report.scopes[i]);
        PublishedFigures together = publishScope(addFigureSets(boroughs), "", &parts);
        report.scopes.push_back(std::move(together));
    }
    return report;
}

std::string periodInWords(std::string_view from, std::string_view to)
{
    const auto a = parseIsoDate(from);
    const auto b = parseIsoDate(to);
    if (!a || !b)
        return {};
    using namespace std::chrono;
    const year_month_day f{*a};
    const year_month_day t{*b};
    const bool firstOfMonth = f.day() == day{1};
    const bool lastOfMonth = year_month_day{*b + days{1}}.day() == day{1};
    if (firstOfMonth && lastOfMonth && f.year() == t.year() && f.month() == t.month())
        return std::string(kMonths[static_cast<unsigned>(f.month()) - 1]) + " " + std::to_string(static_cast<int>(f.year()));
    if (firstOfMonth && f.month() == January && t.month() == December && t.day() == day{31} && f.year() == t.year())
        return std::to_string(static_cast<int>(f.year()));
    if (firstOfMonth && lastOfMonth)
        return std::string(kMonths[static_cast<unsigned>(f.month()) - 1]) + " " + std::to_string(static_cast<int>(f.year()))
             + " to " + std::string(kMonths[static_cast<unsigned>(t.month()) - 1]) + " "
             + std::to_string(static_cast<int>(t.year()));
    return dayInWords(*a) + " to " + dayInWords(*b);
}

std::string boardNarrative(const BoardReport& report, const DiversityCategories* lists)
{
    const std::string period = periodInWords(report.from, report.to);
    std::vector<std::string> names;
    for (const PublishedFigures& s : report.scopes) {
        if (!s.borough.empty())
            names.push_back(s.borough);
    }
    const auto scopeName = [&](const PublishedFigures& s) {
        return s.borough.empty() ? joinedNames(names) + " together" : s.borough;
    };
    std::string out = "Domestic abuse figures for " + period + ": " + joinedNames(names) + "\n\n";
    for (const PublishedFigures& s : report.scopes) {
        std::string paragraph;
        for (const PublishedFigure& f : s.figures) {
            const std::string sentence = sentenceFor(f, period, scopeName(s), windowInWords(report.repeatMaracWindowDays));
            if (sentence.empty())
                continue;
            paragraph += (paragraph.empty() ? "" : " ") + sentence;
        }
        out += paragraph + "\n\n";
    }
    std::string equality;
    for (const PublishedFigures& s : report.scopes) {
        const std::string sentence = equalitySentence(s, scopeName(s), lists);
        if (!sentence.empty())
            equality += " " + sentence;
    }
    out += "Equality and diversity." + (equality.empty() ? std::string(" No victims were recorded in the period.") : equality)
         + " A victim whose answer was not taken is counted as not recorded; one who chose not to say, as not stated.\n\n";
    out += "How these figures are counted. A figure counts the 124Ds received (submitted at least once) dated in the "
           "period and their victims; and, on 124Ds of any date, the feedback forms issued, the quality-assurance "
           "decisions made and the Victims' Code duties due in the period, and the reviews due at its end; "
           "each is defined in one sentence in Vigil's list of figures, and every rate says what it is a share of. "
           "So that no victim can be identified, a count from 1 to 4 is given as \"fewer than 5\", a count that would "
           "let such a count be worked out by subtraction is withheld as well, and a rate is given only where both of "
           "its counts are.\n";
    return out;
}

std::string_view boardCsvHeader() noexcept
{
    return "borough,period_from,period_to,figure,breakdown,category,count,of_figure,of_count,rate_percent,withheld";
}

std::string boardCsv(const BoardReport& report)
{
    std::string out(boardCsvHeader());
    out += "\n";
    for (const PublishedFigures& s : report.scopes) {
        const std::string borough = csvField(s.borough.empty() ? std::string(kAllBoroughs) : s.borough);
        const std::string lead = borough + "," + report.from + "," + report.to + ",";
        for (const PublishedFigure& f : s.figures) {
            out += lead + f.id + ",,," + countText(f.count) + "," + f.over + "," + countText(f.of) + ","
                 + (f.ratePercent ? std::to_string(*f.ratePercent) : std::string()) + ","
                 + std::string(withheldCode(f.withheld)) + "\n";
        }
        if (const PublishedFigure* victims = s.find(kBreakdownFigure)) {
            for (std::string_view q : kQuestions) {
                const std::string dimension = "victim." + std::string(q);
                const auto it = victims->breakdowns.find(dimension);
                if (it == victims->breakdowns.end())
                    continue;
                for (const PublishedCategory* c : ordered(it->second, q, nullptr)) {
                    out += lead + std::string(kBreakdownFigure) + "," + dimension + "," + csvField(c->code) + ","
                         + countText(c->count) + "," + std::string(kBreakdownFigure) + "," + countText(victims->count)
                         + "," + (c->ratePercent ? std::to_string(*c->ratePercent) : std::string()) + ","
                         + std::string(withheldCode(c->withheld)) + "\n";
                }
            }
        }
    }
    return out;
}

std::vector<std::string> figuresWithoutWords()
{
    std::vector<std::string> missing;
    for (std::string_view id : figureIds()) {
        if (!wordsFor(id))
            missing.emplace_back(id);
    }
    return missing;
}

nlohmann::json toJson(const PublishedFigures& figures)
{
    const auto count = [](const PublishedCount& c) { return c ? nlohmann::json(*c) : nlohmann::json(nullptr); };
    nlohmann::json list = nlohmann::json::array();
    for (const PublishedFigure& f : figures.figures) {
        nlohmann::json j = {{"id", f.id},
                            {"over", f.over},
                            {"count", count(f.count)},
                            {"withheld", withheldCode(f.withheld)},
                            {"of", count(f.of)},
                            {"rate_percent", f.ratePercent ? nlohmann::json(*f.ratePercent) : nlohmann::json(nullptr)}};
        if (!f.breakdowns.empty()) {
            nlohmann::json b = nlohmann::json::object();
            for (const auto& [dimension, categories] : f.breakdowns) {
                nlohmann::json cs = nlohmann::json::array();
                for (const PublishedCategory& c : categories) {
                    cs.push_back({{"code", c.code},
                                  {"count", count(c.count)},
                                  {"withheld", withheldCode(c.withheld)},
                                  {"rate_percent", c.ratePercent ? nlohmann::json(*c.ratePercent) : nlohmann::json(nullptr)}});
                }
                b[dimension] = std::move(cs);
            }
            j["breakdowns"] = std::move(b);
        }
        list.push_back(std::move(j));
    }
    return {{"borough", figures.borough}, {"figures", std::move(list)}};
}

Result<PublishedFigures> publishedFiguresFromJson(const nlohmann::json& json)
{
    const auto bad = [](const std::string& what) {
        return makeError(ErrorCode::InvalidArgument,
                         "The server's figures could not be read (" + what + "). Update Vigil, or tell your administrator.");
    };
    const auto count = [](const nlohmann::json& j, PublishedCount& out) {
        if (j.is_null())
            return true;
        if (!j.is_number_integer() || j.get<std::int64_t>() < 0)
            return false;
        out = j.get<std::int64_t>();
        return true;
    };
    const auto withheld = [](const nlohmann::json& j, Withheld& out) {
        const std::string code = j.is_string() ? j.get<std::string>() : std::string("?");
        for (Withheld w : {Withheld::No, Withheld::Small, Withheld::Remainder, Withheld::Parts}) {
            if (withheldCode(w) == code) {
                out = w;
                return true;
            }
        }
        return false;
    };
    if (!json.is_object() || !json.contains("figures") || !json["figures"].is_array())
        return bad("no list of figures");
    PublishedFigures out;
    out.borough = json.value("borough", "");
    for (const nlohmann::json& j : json["figures"]) {
        if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
            return bad("a figure without an id");
        PublishedFigure f;
        f.id = j["id"].get<std::string>();
        f.over = j.value("over", "");
        if (!count(j.value("count", nlohmann::json()), f.count) || !count(j.value("of", nlohmann::json()), f.of)
            || !withheld(j.value("withheld", nlohmann::json("")), f.withheld))
            return bad("figure " + f.id);
        if (f.count && *f.count > 0 && *f.count < kSmallestPublished)
            return bad("figure " + f.id + " holds a count under 5");
        if (const auto rate = j.find("rate_percent"); rate != j.end() && rate->is_number_integer())
            f.ratePercent = rate->get<int>();
        if (const auto b = j.find("breakdowns"); b != j.end() && b->is_object()) {
            for (const auto& [dimension, categories] : b->items()) {
                if (!categories.is_array())
                    return bad("breakdown " + dimension);
                for (const nlohmann::json& cj : categories) {
                    PublishedCategory c;
                    c.code = cj.value("code", "");
                    if (!count(cj.value("count", nlohmann::json()), c.count)
                        || !withheld(cj.value("withheld", nlohmann::json("")), c.withheld))
                        return bad("breakdown " + dimension);
                    if (const auto rate = cj.find("rate_percent"); rate != cj.end() && rate->is_number_integer())
                        c.ratePercent = rate->get<int>();
                    f.breakdowns[dimension].push_back(std::move(c));
                }
            }
        }
        out.figures.push_back(std::move(f));
    }
    return out;
}

nlohmann::json toJson(const BoardReport& report)
{
    nlohmann::json scopes = nlohmann::json::array();
    for (const PublishedFigures& s : report.scopes)
        scopes.push_back(toJson(s));
    return {{"from", report.from}, {"to", report.to}, {"scopes", std::move(scopes)}};
}

Result<BoardReport> boardReportFromJson(const nlohmann::json& json)
{
    if (!json.is_object() || !json.contains("scopes") || !json["scopes"].is_array() || !json.contains("from")
        || !json["from"].is_string() || !json.contains("to") || !json["to"].is_string())
        return makeError(ErrorCode::InvalidArgument,
                         "The server's figures could not be read (no period or no scopes). Update Vigil, or tell your "
                         "administrator.");
    BoardReport report;
    report.from = json["from"].get<std::string>();
    report.to = json["to"].get<std::string>();
    for (const nlohmann::json& s : json["scopes"]) {
        auto scope = publishedFiguresFromJson(s);
        if (!scope)
            return std::move(scope).error();
        report.scopes.push_back(std::move(scope).value());
    }
    return report;
}

}  // namespace vigil
