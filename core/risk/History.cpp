#include "core/risk/History.h"

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/risk/Dates.h"

namespace vigil {

using nlohmann::json;

namespace {

Error historyError(const std::string& path, const std::string& problem)
{
    return makeError(ErrorCode::InvalidArgument,
                     "The incident history is damaged at " + path + ": " + problem
                         + ". Sync again; if it keeps happening, report it to your administrator.",
                     path);
}

Result<std::chrono::sys_days> readDate(const json& object, const std::string& path)
{
    const auto it = object.find("date");
    const std::string* text = it == object.end() ? nullptr : it->get_ptr<const std::string*>();
    if (text == nullptr)
        return historyError(path + ".date", "missing date");
    const auto day = parseIsoDate(*text);
    if (!day)
        return historyError(path + ".date", "\"" + *text + "\" is not a date (YYYY-MM-DD)");
    return *day;
}

bool readBool(const json& object, const char* key, bool fallback)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::string readText(const json& object, const char* key)
{
    const auto it = object.find(key);
    const std::string* text = it == object.end() ? nullptr : it->get_ptr<const std::string*>();
    return text == nullptr ? std::string{} : *text;
}

}  // namespace

Result<History> historyFromJson(const json& j)
{
    History history;
    if (j.is_null())
        return history;
    if (!j.is_object())
        return historyError("history", "expected an object");
    if (const auto src = j.find("source"); src != j.end() && src->is_object()) {
        if (const auto d = readText(*src, "description"); !d.empty())
            history.source.description = d;
        if (const auto synced = readText(*src, "last_synced"); !synced.empty()) {
            history.source.lastSynced = parseIsoDateTime(synced);
            if (!history.source.lastSynced)
                return historyError("history.source.last_synced", "\"" + synced + "\" is not a date-time");
        }
        if (const auto off = src->find("display_offset_minutes"); off != src->end() && off->is_number_integer())
            history.source.displayOffsetMinutes = off->get<int>();
    }
    if (const auto list = j.find("incidents"); list != j.end() && list->is_array()) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& item = (*list)[i];
            const std::string path = "history.incidents[" + std::to_string(i) + "]";
            if (!item.is_object())
                return historyError(path, "expected an object");
            HistoryIncident h;
            h.id = readText(item, "id");
            auto day = readDate(item, path);
            if (!day.ok())
                return std::move(day).error();
            h.date = *day;
            h.domesticAbuse = readBool(item, "domestic_abuse", true);
            h.policeCallOut = readBool(item, "police_call_out", true);
            h.crime = readBool(item, "crime", false);
            if (const auto victims = item.find("victims"); victims != item.end() && victims->is_array()) {
                for (std::size_t k = 0; k < victims->size(); ++k) {
                    auto person = personFromJson((*victims)[k], path + ".victims[" + std::to_string(k) + "]");
                    if (!person.ok())
                        return std::move(person).error();
                    h.victims.push_back(std::move(*person));
                }
            }
            history.incidents.push_back(std::move(h));
        }
    }
    if (const auto list = j.find("marac_referrals"); list != j.end() && list->is_array()) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& item = (*list)[i];
            const std::string path = "history.marac_referrals[" + std::to_string(i) + "]";
            if (!item.is_object())
                return historyError(path, "expected an object");
            HistoryMaracReferral m;
            m.id = readText(item, "id");
            auto day = readDate(item, path);
            if (!day.ok())
                return std::move(day).error();
            m.date = *day;
            if (const auto v = item.find("victim"); v != item.end()) {
                auto person = personFromJson(*v, path + ".victim");
                if (!person.ok())
                    return std::move(person).error();
                m.victim = std::move(*person);
            }
            history.maracReferrals.push_back(std::move(m));
        }
    }
    return history;
}

std::string describeSync(const HistorySource& source, std::chrono::sys_seconds now)
{
    if (!source.lastSynced)
        return "never synced";
    const std::chrono::minutes offset{source.displayOffsetMinutes};
    const auto local = *source.lastSynced + offset;
    const auto localNow = now + offset;
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::hh_mm_ss hms{local - day};
    std::array<char, 8> hhmm{};
    std::snprintf(hhmm.data(), hhmm.size(), "%02d:%02d", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()));
    if (day == std::chrono::floor<std::chrono::days>(localNow))
        return "last synced " + std::string{hhmm.data()};
    return "last synced " + formatIsoDate(day) + " " + hhmm.data();
}

}  // namespace vigil
