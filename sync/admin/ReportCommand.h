#pragma once

#include <string>
#include <vector>

namespace vigil::sync {

class AdminSession;

/// `vigil-admin report --help`.
extern const char* const kReportHelp;

/// `vigil-admin report --from D --to D [--borough B ...] --out-dir DIR` (issue 25): the board
/// report's narrative, CSV and PDF for a period and boroughs, from the server's copy of every
/// record, recorded in the server's audit chain. Returns the exit status (0, 1 failed, 2 misused).
[[nodiscard]] int runReportCommand(AdminSession& session, const std::vector<std::string>& args);

}  // namespace vigil::sync
