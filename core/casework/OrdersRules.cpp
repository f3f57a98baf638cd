#include "core/casework/OrdersRules.h"

#include <array>

#include <nlohmann/json.hpp>

#include "core/risk/JsonFile.h"

namespace vigil {

using nlohmann::json;

namespace {

constexpr std::array<OrderKind, 7> kKinds{OrderKind::Dvpn,           OrderKind::Dvpo,           OrderKind::Dapn,
                                          OrderKind::Dapo,           OrderKind::NonMolestation, OrderKind::BailConditions,
                                          OrderKind::ClaresLawDisclosure};

constexpr long long kMostHours = 24 * 366;
constexpr long long kMostDays = 3660;

class SectionParser {
public:
    explicit SectionParser(std::string_view fileName) : m_file(fileName) {}

    Result<OrdersRules> parse(const json& root) const
    {
        OrdersRules rules;
        if (!root.is_object())
            return fail("", "the file must contain one JSON object");
        const auto section = root.find("orders");
        if (section == root.end())
            return rules;  // a copy made before protective orders were added: the defaults stand
        const std::string at = "/orders";
        if (!section->is_object())
            return fail(at, "orders must be an object");
        for (const auto& [key, value] : section->items())
            if (key != "kinds" && key != "help")
                return fail(at + "/" + key, "unknown setting (orders holds kinds and help)");
        const auto kinds = section->find("kinds");
        if (kinds == section->end() || !kinds->is_object())
            return fail(at + "/kinds", "kinds must be an object keyed by kind of order (" + kindNames() + ")");

        rules.kinds.clear();
        for (const auto& [name, value] : kinds->items()) {
            const std::string here = at + "/kinds/" + name;
            const auto kind = orderKindFromString(name);
            if (!kind)
                return fail(here, "unknown kind of order (use " + kindNames() + ")");
            auto parsed = kindRules(*kind, value, here);
            if (!parsed.ok())
                return std::move(parsed).error();
            rules.kinds.emplace(*kind, std::move(*parsed));
        }
        for (OrderKind kind : kKinds)
            if (!rules.kinds.contains(kind))
                return fail(at + "/kinds/" + std::string{toString(kind)},
                            "missing " + std::string{toString(kind)} + ": every kind of order needs its rules");
        return rules;
    }

private:
    static std::string kindNames()
    {
        std::string names;
        for (OrderKind kind : kKinds)
            names += (names.empty() ? "" : ", ") + std::string{toString(kind)};
        return names;
    }

    Result<OrderKindRules> kindRules(OrderKind kind, const json& value, const std::string& at) const
    {
        if (!value.is_object())
            return fail(at, "each kind needs an object with at least expiry");
        static constexpr std::array<const char*, 7> kKeys{"expiry",       "hearing_within_hours", "min_days",
                                                          "max_days",     "warning_days",         "authorised_by",
                                                          "notification_days"};
        for (const auto& [key, ignored] : value.items()) {
            bool known = false;
            for (const char* k : kKeys)
                known = known || key == k;
            if (!known)
                return fail(at + "/" + key, "unknown setting (use expiry, hearing_within_hours, min_days, max_days, "
                                            "warning_days, authorised_by or notification_days)");
        }

        OrderKindRules r;
        const auto expiry = value.find("expiry");
        const auto parsed = expiry != value.end() && expiry->is_string()
            ? orderExpiryFromString(expiry->get_ref<const std::string&>())
            : std::nullopt;
        if (!parsed)
            return fail(at + "/expiry", "expiry must be hearing, required, optional or none");
        r.expiry = *parsed;

        if (isNotice(kind) && r.expiry != OrderExpiry::AtHearing)
            return fail(at + "/expiry", "a notice lasts until the magistrates hear the application: expiry must be hearing");
        const bool ends = r.expiry == OrderExpiry::Required || r.expiry == OrderExpiry::Optional;
        if (r.expiry == OrderExpiry::AtHearing) {
            if (!isNotice(kind))
                return fail(at + "/expiry", "only a notice (dvpn, dapn) lasts until a hearing");
            VIGIL_TRY(number(value, at, "hearing_within_hours", 1, kMostHours, true, r.hearingWithinHours));
        } else if (value.contains("hearing_within_hours")) {
            return fail(at + "/hearing_within_hours", "hearing_within_hours is only for an expiry of hearing");
        }
        for (const char* key : {"min_days", "max_days", "warning_days"})
            if (!ends && value.contains(key))
                return fail(at + "/" + key, std::string{key} + " is only for an expiry of required or optional");
        VIGIL_TRY(number(value, at, "min_days", 1, kMostDays, false, r.minDays));
        VIGIL_TRY(number(value, at, "max_days", 1, kMostDays, false, r.maxDays));
        if (r.minDays > 0 && r.maxDays > 0 && r.minDays > r.maxDays)
            return fail(at + "/min_days", "min_days may not be more than max_days");
        // Every order that ends on a date says how soon before it the warning comes (0 for none),
        // so a force's copy shows the number to change.
        VIGIL_TRY(number(value, at, "warning_days", 0, kMostDays, ends, r.warningDays));
        VIGIL_TRY(number(value, at, "notification_days", 1, kMostDays, false, r.notificationDays));
        if (const auto by = value.find("authorised_by"); by != value.end()) {
            if (!by->is_string() || by->get_ref<const std::string&>().empty())
                return fail(at + "/authorised_by",
                            "authorised_by must say who authorises it (\"an inspector or above\"), or be left out");
            r.authorisedBy = by->get<std::string>();
        }
        return r;
    }

    Error fail(const std::string& pointer, const std::string& problem) const
    {
        const std::string at = pointer.empty() ? "/" : pointer;
        return makeError(ErrorCode::MalformedModel,
                         "Rules configuration file " + m_file + " is not valid at " + at + ": " + problem
                             + ". Correct the file, or reinstall Vigil's default rules.",
                         at);
    }

    Status number(const json& object, const std::string& at, const char* key, long long least, long long most,
                  bool required, int& out) const
    {
        const auto it = object.find(key);
        if (it == object.end()) {
            if (required)
                return fail(at + "/" + key, std::string{"missing "} + key);
            return {};
        }
        if (!it->is_number_integer() || it->get<long long>() < least || it->get<long long>() > most)
            return fail(at + "/" + key, std::string{key} + " must be a whole number from " + std::to_string(least)
                                            + " to " + std::to_string(most));
        out = it->get<int>();
        return {};
    }

    std::string m_file;
};

}  // namespace

std::span<const OrderKind> allOrderKinds() noexcept
{
    return kKinds;
}

std::string_view toString(OrderKind kind) noexcept
{
    switch (kind) {
    case OrderKind::Dvpn: return "dvpn";
    case OrderKind::Dvpo: return "dvpo";
    case OrderKind::Dapn: return "dapn";
    case OrderKind::Dapo: return "dapo";
    case OrderKind::NonMolestation: return "non_molestation";
    case OrderKind::BailConditions: return "bail_conditions";
    case OrderKind::ClaresLawDisclosure: return "clares_law_disclosure";
    }
    return "dvpn";
}

std::optional<OrderKind> orderKindFromString(std::string_view text) noexcept
{
    for (OrderKind kind : kKinds)
        if (toString(kind) == text)
            return kind;
    return std::nullopt;
}

std::string orderKindWords(OrderKind kind)
{
    switch (kind) {
    case OrderKind::Dvpn: return "DVPN";
    case OrderKind::Dvpo: return "DVPO";
    case OrderKind::Dapn: return "DAPN";
    case OrderKind::Dapo: return "DAPO";
    case OrderKind::NonMolestation: return "non-molestation order";
    case OrderKind::BailConditions: return "bail conditions";
    case OrderKind::ClaresLawDisclosure: return "Clare's Law disclosure";
    }
    return "order";
}

std::string orderKindTitle(OrderKind kind)
{
    switch (kind) {
    case OrderKind::Dvpn: return "Domestic violence protection notice (DVPN)";
    case OrderKind::Dvpo: return "Domestic violence protection order (DVPO)";
    case OrderKind::Dapn: return "Domestic abuse protection notice (DAPN)";
    case OrderKind::Dapo: return "Domestic abuse protection order (DAPO)";
    case OrderKind::NonMolestation: return "Non-molestation order";
    case OrderKind::BailConditions: return "Bail conditions";
    case OrderKind::ClaresLawDisclosure: return "Clare's Law disclosure";
    }
    return "Order";
}

bool isNotice(OrderKind kind) noexcept
{
    return kind == OrderKind::Dvpn || kind == OrderKind::Dapn;
}

std::string_view toString(OrderExpiry expiry) noexcept
{
    switch (expiry) {
    case OrderExpiry::AtHearing: return "hearing";
    case OrderExpiry::Required: return "required";
    case OrderExpiry::Optional: return "optional";
    case OrderExpiry::None: return "none";
    }
    return "optional";
}

std::optional<OrderExpiry> orderExpiryFromString(std::string_view text) noexcept
{
    for (OrderExpiry e : {OrderExpiry::AtHearing, OrderExpiry::Required, OrderExpiry::Optional, OrderExpiry::None})
        if (toString(e) == text)
            return e;
    return std::nullopt;
}

const OrderKindRules& OrdersRules::of(OrderKind kind) const
{
    static const OrderKindRules fallback{};
    const auto it = kinds.find(kind);
    return it == kinds.end() ? fallback : it->second;
}

Result<OrdersRules> parseOrdersRules(std::string_view jsonText, std::string_view fileName)
{
    auto root = parseJsonText(jsonText, fileName, "Rules configuration file");
    if (!root.ok())
        return std::move(root).error();
    return SectionParser{fileName}.parse(*root);
}

Result<OrdersRules> loadOrdersRulesFile(const std::filesystem::path& path)
{
    auto text = readTextFile(path, "rules configuration");
    if (!text.ok())
        return std::move(text).error();
    return parseOrdersRules(*text, path.filename().string());
}

}  // namespace vigil
