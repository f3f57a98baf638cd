#include "DraftController.h"

#include <QDateTime>
#include <QJSEngine>

#include "core/records/IncidentRepository.h"
#include "AppController.h"
#include "StoreWorker.h"
#include "WorkerState.h"

namespace vigil::app {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string nowIsoMinutes()
{
    return QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm")).toStdString();
}

}  // namespace

struct DraftController::Fields {
    std::optional<Error> error;
    QString id, state, date, location, cad, reviewNote;
};

DraftController::DraftController(StoreWorker& worker, WorkerState& state, RecordsAccess& access, QObject* parent)
    : QObject(parent), m_worker(worker), m_workerState(state)
{
    m_editor = new IncidentEditor(worker, access, this);
    m_supervision = new SupervisionPanel(worker, access, *m_editor, this);
    m_outcome = new OutcomePanel(worker, access, *m_editor, this);
    connect(m_editor, &IncidentEditor::saveStateChanged, this, [this] { setSaveState(m_editor->saveState()); });
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(700);  // typed text is saved within a second of the last key
    connect(&m_debounce, &QTimer::timeout, this, &DraftController::flush);
}

DraftController* DraftController::create(QQmlEngine*, QJSEngine*)
{
    auto* self = AppController::instance()->draft();
    QJSEngine::setObjectOwnership(self, QJSEngine::CppOwnership);
    return self;
}

void DraftController::createNew()
{
    if (!m_open || m_busy)
        return;
    setBusy(true);
    WorkerState* state = &m_workerState;
    m_worker.run(
        this,
        [state]() -> Result<std::string> {
            std::string id;
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                Incident draft;
                draft.date = nowIsoMinutes();
                if (state->enrolment) {
                    draft.owner = state->enrolment->user.id;
                    draft.team = state->enrolment->user.team;
                    draft.borough = state->enrolment->user.borough;
                }
                auto made = IncidentRepository(store).createDraft(state->actor(), std::move(draft));
                if (!made)
                    return std::move(made).error();
                id = made->id;
                return {};
            });
            if (!s.ok())
                return s.error();
            state->changed();
            return id;
        },
        [this](Result<std::string> id) {
            setBusy(false);
            if (!id) {
                emit failed(q(id.error().message));
                return;
            }
            load(q(*id));
            emit listChanged();
        });
}

void DraftController::open(const QString& id)
{
    if (!m_open)
        return;
    flush();
    load(id);
}

void DraftController::reopen()
{
    m_open = true;
    if (!m_id.isEmpty())
        load(m_id);  // the 124D that was open when the app locked
}

void DraftController::load(const QString& id)
{
    WorkerState* state = &m_workerState;
    const std::string incidentId = id.toStdString();
    m_id = id;
    m_worker.run(
        this,
        [state, incidentId] {
            Fields out;
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                // Not audited here: the editor opens it next and its load is the one audited
                // "124D opened" entry.
                auto incident = repo.read(incidentId);
                if (!incident)
                    return std::move(incident).error();
                out.id = q(incident->id);
                out.state = QString::fromUtf8(toString(incident->state).data());
                out.date = q(incident->date);
                out.location = q(incident->location);
                out.cad = q(incident->refs.cad);
                if (incident->state == LifecycleState::Returned) {
                    auto list = repo.list(500);
                    if (list) {
                        for (const auto& summary : *list) {
                            if (summary.id == incidentId)
                                out.reviewNote = q(summary.lastCommandNote);
                        }
                    }
                }
                return {};
            });
            if (!s.ok())
                out.error = s.error();
            return out;
        },
        [this](Fields out) {
            if (!m_open)
                return;
            if (out.error) {
                m_id.clear();
                emit changed();
                emit failed(q(out.error->message));
                return;
            }
            m_id = out.id;
            m_state = out.state;
            m_date = out.date;
            m_location = out.location;
            m_cad = out.cad;
            m_reviewNote = out.reviewNote;
            m_dirty = false;
            setSaveState(QStringLiteral("saved"));
            emit changed();
            m_editor->open(m_id);
        });
}

bool DraftController::editable() const
{
    return m_state == QLatin1String("draft") || m_state == QLatin1String("returned");
}

void DraftController::close()
{
    flush();
    m_editor->close();
    m_id.clear();
    m_state.clear();
    m_date.clear();
    m_location.clear();
    m_cad.clear();
    m_reviewNote.clear();
    emit changed();
    emit listChanged();
}

void DraftController::forget(bool keepId)
{
    if (keepId)
        flush();  // queued before the store closes: what was typed is saved first
    else
        m_dirty = false;  // wiped: nothing more is written
    m_debounce.stop();
    m_open = false;
    m_editor->close();  // saved first (queued before the store closes), then forgotten
    if (!keepId)
        m_id.clear();
    m_state.clear();
    m_date.clear();
    m_location.clear();
    m_cad.clear();
    m_reviewNote.clear();
    emit changed();
}

void DraftController::dropUnsaved()
{
    m_debounce.stop();
    m_dirty = false;
}

void DraftController::setField(const QString& field, const QString& value)
{
    if (m_id.isEmpty() || !editable())
        return;
    QString* target = field == QLatin1String("date")       ? &m_date
                      : field == QLatin1String("location") ? &m_location
                      : field == QLatin1String("cad")      ? &m_cad
                                                           : nullptr;
    if (!target || *target == value)
        return;
    *target = value;
    if (m_editor->incidentId() == m_id) {
        // The wizard has it open: one writer for the 124D, the editor.
        m_editor->setText(field == QLatin1String("date")       ? QStringLiteral("incident.date")
                          : field == QLatin1String("location") ? QStringLiteral("incident.location")
                                                               : QStringLiteral("refs.cad"),
                          value);
        emit changed();
        return;
    }
    m_dirty = true;
    setSaveState(QStringLiteral("saving"));
    emit changed();
    m_debounce.start();
}

void DraftController::flush()
{
    m_debounce.stop();
    if (!m_dirty || m_id.isEmpty())
        return;
    m_dirty = false;
    WorkerState* state = &m_workerState;
    const std::string id = m_id.toStdString();
    const std::string date = m_date.toStdString();
    const std::string location = m_location.toStdString();
    const std::string cad = m_cad.toStdString();
    m_worker.run(
        this,
        [state, id, date, location, cad]() -> std::optional<Error> {
            Status s = state->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto incident = repo.read(id);
                if (!incident)
                    return std::move(incident).error();
                incident->date = date;
                incident->location = location;
                incident->refs.cad = cad;
                return repo.save(state->actor(), *incident);
            });
            if (!s.ok())
                return s.error();
            state->changed();
            return std::nullopt;
        },
        [this](std::optional<Error> error) {
            if (error) {
                m_dirty = true;  // kept on screen; the next keystroke or lock tries again
                setSaveState(QStringLiteral("failed"));
                emit failed(q(error->message));
                return;
            }
            if (!m_dirty)
                setSaveState(QStringLiteral("saved"));
        });
}

void DraftController::setSaveState(const QString& state)
{
    if (state == m_saveState)
        return;
    m_saveState = state;
    emit saveStateChanged();
}

void DraftController::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

}  // namespace vigil::app
