#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/common/Result.h"

namespace vigil {

/// A protective order, notice, bail conditions or disclosure held on a victim's case (DOMAIN.md
/// §7). The names (toString) are the keys of rules-default.json's "orders" section and what a
/// repository stores.
enum class OrderKind {
    Dvpn,                 ///< "dvpn": domestic violence protection notice (police, Crime and Security Act 2010 s.24)
    Dvpo,                 ///< "dvpo": domestic violence protection order (magistrates, 14 to 28 days)
    Dapn,                 ///< "dapn": domestic abuse protection notice (police, Domestic Abuse Act 2021, pilot areas)
    Dapo,                 ///< "dapo": domestic abuse protection order (court, no maximum length)
    NonMolestation,       ///< "non_molestation": non-molestation order (Family Law Act 1996; breach is an offence)
    BailConditions,       ///< "bail_conditions": conditions of pre-charge or court bail, until the bail date
    ClaresLawDisclosure,  ///< "clares_law_disclosure": a disclosure under the DV disclosure scheme; not an order
};

/// Every kind, in the order above.
[[nodiscard]] std::span<const OrderKind> allOrderKinds() noexcept;
[[nodiscard]] std::string_view toString(OrderKind kind) noexcept;
[[nodiscard]] std::optional<OrderKind> orderKindFromString(std::string_view text) noexcept;
/// "DVPN", "non-molestation order", "bail conditions", "Clare's Law disclosure": fits "the ...".
[[nodiscard]] std::string orderKindWords(OrderKind kind);
/// "Domestic violence protection notice (DVPN)", "Bail conditions": a heading for a screen.
[[nodiscard]] std::string orderKindTitle(OrderKind kind);
/// True for the two notices a police inspector gives (DVPN, DAPN), which last until a hearing.
[[nodiscard]] bool isNotice(OrderKind kind) noexcept;

/// How an order of a kind ends.
enum class OrderExpiry {
    AtHearing,  ///< "hearing": a notice, in force until the magistrates hear the application (the 48-hour clock)
    Required,   ///< "required": the order or bail notice gives the date and time it ends; it must be entered
    Optional,   ///< "optional": it may end on a date, or last until varied or discharged (a DAPO, a non-molestation order)
    None,       ///< "none": nothing ends (a Clare's Law disclosure is made on a date)
};

[[nodiscard]] std::string_view toString(OrderExpiry expiry) noexcept;
[[nodiscard]] std::optional<OrderExpiry> orderExpiryFromString(std::string_view text) noexcept;

/// The rules for one kind. A zero means "not set" for the numbers that allow it.
struct OrderKindRules {
    OrderExpiry expiry = OrderExpiry::Optional;
    /// AtHearing only: the hearing is due this many hours after the notice, not counting Sundays,
    /// Christmas Day, Good Friday or bank holidays (WorkingDays::noticeHearingDue).
    int hearingWithinHours = 0;
    /// Required or Optional: the shortest and longest the order may last, in days counted from
    /// (and including) the London day it was made. 0: no bound.
    int minDays = 0;
    int maxDays = 0;
    /// Required or Optional: "expiring soon" this many days (real time) before it ends. 0: no warning.
    int warningDays = 0;
    /// Who must authorise it, in words that fit "A DVPN is authorised by ...": "an inspector or
    /// above". Empty: nobody need be named.
    std::string authorisedBy;
    /// The person it is against must give the police their name and address within this many
    /// days, counted from (and including) the London day it was made. 0: no such duty.
    int notificationDays = 0;

    friend bool operator==(const OrderKindRules&, const OrderKindRules&) = default;
};

/// The rules for protective orders (DOMAIN.md §7), read from the "orders" section of
/// core/risk-models/rules-default.json, which is authoritative; the initialisers mirror it so a
/// hand-built configuration in a test starts from the same defaults (a test checks they agree).
/// A force's copy of the rules may change any number here.
struct OrdersRules {
    std::map<OrderKind, OrderKindRules> kinds{
        {OrderKind::Dvpn, {OrderExpiry::AtHearing, 48, 0, 0, 0, "an inspector or above", 0}},
        {OrderKind::Dvpo, {OrderExpiry::Required, 0, 14, 28, 3, "", 0}},
        {OrderKind::Dapn, {OrderExpiry::AtHearing, 48, 0, 0, 0, "an inspector or above", 0}},
        {OrderKind::Dapo, {OrderExpiry::Optional, 0, 0, 0, 3, "", 3}},
        {OrderKind::NonMolestation, {OrderExpiry::Optional, 0, 0, 0, 3, "", 0}},
        {OrderKind::BailConditions, {OrderExpiry::Required, 0, 0, 0, 3, "", 0}},
        {OrderKind::ClaresLawDisclosure, {OrderExpiry::None, 0, 0, 0, 0, "", 0}},
    };

    /// The rules for `kind`. Every kind is present in rules that came from the loader or the
    /// initialisers; a hand-edited struct missing one gets an order that ends as ordered, with
    /// no warning, bound or duty.
    [[nodiscard]] const OrderKindRules& of(OrderKind kind) const;
};

/// Reads the "orders" section of a rules configuration file (the same file RulesConfig and
/// VictimsCodeRules read; each ignores the others' sections). A copy of the rules made before the
/// section existed gets the defaults above. Every kind must be present, and a setting the loader
/// does not know is refused rather than ignored, so a misspelt "max_day" cannot silently leave a
/// DVPO unbounded. Errors name the file and the JSON path, as RulesConfig's do.
[[nodiscard]] Result<OrdersRules> parseOrdersRules(std::string_view jsonText, std::string_view fileName);
[[nodiscard]] Result<OrdersRules> loadOrdersRulesFile(const std::filesystem::path& path);

}  // namespace vigil
