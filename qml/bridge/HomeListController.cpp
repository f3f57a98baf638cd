#include "HomeListController.h"

#include <QJSEngine>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/RiskModelDir.h"
#include "core/risk/RulesConfig.h"
#include "AppController.h"
#include "StoreWorker.h"
#include "WorkerState.h"

namespace vigil::app {

HomeListController::HomeListController(StoreWorker& worker, WorkerState& state, QObject* parent)
    : QObject(parent), m_worker(worker), m_state(state)
{
}

HomeListController* HomeListController::create(QQmlEngine*, QJSEngine*)
{
    auto* self = AppController::instance()->home();
    QJSEngine::setObjectOwnership(self, QJSEngine::CppOwnership);
    return self;
}

void HomeListController::setOpen(bool open)
{
    m_open = open;
    if (!open)
        m_incidents.clear();
}

void HomeListController::show(HomeList list)
{
    m_incidents.setRows(std::move(list.rows), std::move(list.counts));
    emit refreshed();
}

void HomeListController::refresh()
{
    WorkerState* state = &m_state;
    m_worker.run(
        this,
        [state] {
            std::pair<HomeList, int> out;
            (void)state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                if (auto home = readHomeList(repo, state->riskModels()))
                    out.first = std::move(home).value();
                return {};
            });
            out.second = state->records ? state->countUnsent() : -1;
            if (out.second >= 0)
                state->rememberUnsent(out.second);
            return out;
        },
        [this](std::pair<HomeList, int> out) {
            if (!m_open)
                return;  // locked meanwhile: show nothing
            if (out.second >= 0)
                emit unsentCounted(out.second);
            show(std::move(out.first));
        });
}

void HomeListController::seedDemo(int incidents)
{
    WorkerState* state = &m_state;
    m_worker.run(
        this,
        [state, incidents]() -> QString {
            auto models = RiskModelRegistry::loadDirectory(shippedRiskModelPath());
            if (!models)
                return QString::fromStdString(models.error().message);
            auto rules = loadRulesConfigFile(shippedRiskModelPath() / "rules-default.json");
            if (!rules)
                return QString::fromStdString(rules.error().message);
            DemoOptions options;
            options.incidents = incidents;
            if (state->enrolment) {
                options.owner = state->enrolment->user.id;
                options.team = state->enrolment->user.team;
                options.borough = state->enrolment->user.borough;
            }
            QString result;
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto summary = generateDemoData(repo, store, *models, *rules, options,
                                                Actor{options.owner, "synthetic demo data"});
                if (!summary)
                    return std::move(summary).error();
                result = tr("Made %1 synthetic incidents.").arg(summary->incidents);
                return {};
            });
            if (!s.ok())
                return QString::fromStdString(s.error().message);
            state->changed();
            return result;
        },
        [this](QString result) {
            emit demoSeeded(result);
            refresh();
        });
}

}  // namespace vigil::app
