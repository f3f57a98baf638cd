#include "WorkerState.h"

#include <algorithm>

#include <QDateTime>

#include "core/records/IncidentRepository.h"
#include "core/risk/Dates.h"
#include "core/risk/RiskModelDir.h"
#include "AppController.h"

namespace vigil::app {

WorkerState::WorkerState(const AppOptions& options, SecretStore& keyStore)
    : link(client, keyStore, options.profile),
      secure(std::filesystem::path(options.dataDir.toStdString()) / "store", keyStore,
             StoreConfig{options.profile + "-records", options.kdf, options.policy}),
      secrets(keyStore),
      unsentEntry(options.profile + ".unsent-incidents"),
      backoff(options.backoff)
{
}

Status WorkerState::withRecords(const std::function<Status(RecordStore&)>& work)
{
    if (!records)
        return makeError(ErrorCode::InvalidArgument, "Vigil is locked. Unlock it with your PIN and try again.");
    if (engine)
        return engine->withStore(work);
    return work(*records);
}

Actor WorkerState::actor() const
{
    return Actor{enrolment ? enrolment->user.id : std::string(), "recording the incident"};
}

Role WorkerState::role() const
{
    if (!enrolment)
        return Role::Officer;
    switch (enrolment->user.role) {
    case sync::Role::Officer: return Role::Officer;
    case sync::Role::Investigator: return Role::Investigator;
    case sync::Role::Idva: return Role::Idva;
    case sync::Role::Supervisor: return Role::Supervisor;
    case sync::Role::Analyst: return Role::Analyst;
    case sync::Role::Admin: return Role::Admin;
    }
    return Role::Officer;
}

void WorkerState::rememberUnsent(int count)
{
    if (count == lastUnsent)
        return;
    const std::string text = std::to_string(count);
    if (secrets.write(unsentEntry, {reinterpret_cast<const unsigned char*>(text.data()), text.size()}).ok())
        lastUnsent = count;
}

int WorkerState::recallUnsent()
{
    auto stored = secrets.read(unsentEntry);
    if (!stored || !stored->has_value())
        return 0;
    const std::string text(reinterpret_cast<const char*>((*stored)->data()), (*stored)->size());
    try {
        return std::max(0, std::stoi(text));
    } catch (...) {
        return 0;
    }
}

int WorkerState::countUnsent()
{
    int count = 0;
    (void)withRecords([&](RecordStore& store) -> Status {
        auto n = IncidentRepository(store).unsentIncidentCount();
        if (n)
            count = static_cast<int>(*n);
        return {};
    });
    return count;
}

const RiskModelRegistry* WorkerState::riskModels()
{
    if (!modelsTried) {
        modelsTried = true;
        if (auto loaded = RiskModelRegistry::loadDirectory(shippedRiskModelPath()))
            models = std::make_unique<RiskModelRegistry>(std::move(loaded).value());
    }
    return models.get();
}

void WorkerState::changed()
{
    if (engine)
        engine->localChange();
}

void WorkerState::close()
{
    if (engine) {
        engine->stop();  // returns when the engine no longer touches the store
        engine.reset();
    }
    if (records)
        rememberUnsent(countUnsent());
    transport.reset();
    records.reset();
    db.reset();
}

void WorkerState::discard()
{
    if (engine) {
        engine->stop();
        engine.reset();
    }
    transport.reset();
    records.reset();
    db.reset();
}

HistorySource WorkerRecordsAccess::historySource() const
{
    HistorySource source;
    if (m_state.engine) {
        const std::string at = m_state.engine->status().lastSyncedAt;
        if (!at.empty())
            source.lastSynced = parseIsoDateTime(at);
    }
    source.displayOffsetMinutes = QDateTime::currentDateTime().offsetFromUtc() / 60;
    return source;
}

}  // namespace vigil::app
