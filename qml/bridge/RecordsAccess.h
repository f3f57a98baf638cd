#pragma once

#include <functional>

#include "core/common/Result.h"
#include "core/records/RecordStore.h"
#include "core/risk/History.h"
#include "core/risk/Lifecycle.h"

namespace vigil::app {

/// What the 124D editor needs from the unlocked device, on the store worker thread only:
/// the records (through the sync engine while it runs), who is acting, how complete the
/// device's history is, and a way to tell the sync engine something changed. The app
/// implements it over its worker state; tests over a real store in a temporary folder.
class RecordsAccess {
public:
    virtual ~RecordsAccess() = default;

    /// Run `work` with the records; an error when the store is locked.
    [[nodiscard]] virtual Status withRecords(const std::function<Status(RecordStore&)>& work) = 0;
    /// The signed-in user, for attribution and audit.
    [[nodiscard]] virtual Actor actor() const = 0;
    /// The user's role, for the lifecycle table.
    [[nodiscard]] virtual Role role() const = 0;
    /// What the device's history rests on (when it last synced).
    [[nodiscard]] virtual HistorySource historySource() const = 0;
    /// Something was written: the sync engine shows it waiting and sends it soon.
    virtual void changed() = 0;
};

}  // namespace vigil::app
