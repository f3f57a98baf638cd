// The trail of a record, person or user (moved here from SqlCipherServerStore::auditTrail,
// unchanged in behaviour, so both stores build it the same way).
#include "sync/server/AuditTrail.h"

#include <algorithm>
#include <ctime>

#include "core/records/AuditLog.h"

namespace vigil::sync {

namespace {

std::string isoDay(std::int64_t seconds)
{
    const std::time_t t = seconds;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return std::string(buf);
}

}  // namespace

AuditTrailBuilder::AuditTrailBuilder(const AuditTrailFilter& filter, std::set<std::string> records)
    : m_filter(filter), m_records(std::move(records)), m_fromText(isoDay(filter.from)),
      m_toText(filter.to == INT64_MAX ? std::string("9999") : isoDay(filter.to))
{
}

void AuditTrailBuilder::server(AuditTrailRow r)
{
    if (!m_filter.user.empty() && r.actor != m_filter.user && r.userId != m_filter.user)
        return;
    if (!m_records.empty()
        && std::none_of(r.records.begin(), r.records.end(), [&](const std::string& id) { return m_records.count(id) != 0; }))
        return;
    m_out.push_back(std::move(r));
}

void AuditTrailBuilder::device(const std::string& deviceId, const nlohmann::json& value)
{
    // The devices' own chains: what users did with the records on their devices.
    const auto entry = auditEntryFromJson(value);
    if (!entry)
        return;
    if (entry->at < m_fromText || entry->at >= m_toText)
        return;
    if (!m_filter.user.empty() && entry->actor != m_filter.user)
        return;
    if (!m_records.empty() && m_records.count(entry->recordId) == 0)
        return;
    AuditTrailRow r;
    r.source = "device";
    r.seq = entry->seq;
    r.atText = entry->at;
    r.actor = entry->actor;
    r.action = std::string(toString(entry->action));
    r.userId = entry->actor;
    r.deviceId = deviceId;
    r.records = {entry->recordId};
    nlohmann::json detail = {{"entity", entry->entity}, {"justification", entry->justification},
                             {"recipients", entry->recipients}, {"detail", entry->detail}};
    r.detail = detail.dump();
    r.hash = entry->hash;
    m_out.push_back(std::move(r));
}

std::vector<AuditTrailRow> AuditTrailBuilder::finish()
{
    for (auto& r : m_out) {
        if (r.atText.empty())
            r.atText = isoDay(r.at) + "Z";
    }
    std::stable_sort(m_out.begin(), m_out.end(),
                     [](const AuditTrailRow& a, const AuditTrailRow& b) { return a.atText < b.atText; });
    return std::move(m_out);
}

}  // namespace vigil::sync
