#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/server/ServerStore.h"

namespace vigil::sync {

/// The trail `vigil-admin audit export` writes (ServerStore::auditTrail), built the same way by
/// both stores: each store reads its rows and hands them here, this decides which belong.
class AuditTrailBuilder {
public:
    /// `records`: the records asked about (the record or person itself and its incident); empty
    /// when the filter names none.
    AuditTrailBuilder(const AuditTrailFilter& filter, std::set<std::string> records);
    /// An entry of the server's chain dated in the period (the store selects by `at`).
    void server(AuditTrailRow row);
    /// An entry of a device's chain (the value of an `@append` op on "audit"), kept when it is in
    /// the period, by the user, and about the records asked.
    void device(const std::string& deviceId, const nlohmann::json& value);
    /// Every entry kept, by time.
    [[nodiscard]] std::vector<AuditTrailRow> finish();

private:
    const AuditTrailFilter& m_filter;
    std::set<std::string> m_records;
    std::string m_fromText;
    std::string m_toText;
    std::vector<AuditTrailRow> m_out;
};

}  // namespace vigil::sync
