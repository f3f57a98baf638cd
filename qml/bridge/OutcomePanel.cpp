#include "OutcomePanel.h"

#include <chrono>

#include "core/records/IncidentRepository.h"
#include "core/risk/OutcomeRules.h"
#include "IncidentEditor.h"
#include "RecordsAccess.h"
#include "ShippedRules.h"
#include "StoreWorker.h"
#include "Words.h"

namespace vigil::app {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string text(const QVariantMap& form, const char* key) { return form.value(QLatin1String(key)).toString().trimmed().toStdString(); }

template <typename Options>
QVariantList optionsOf(const Options& options)
{
    QVariantList out;
    for (const auto& o : options)
        out << QVariantMap{{QStringLiteral("value"), q(o.code)}, {QStringLiteral("label"), q(o.label)},
                           {QStringLiteral("help"), q(o.help)}};
    return out;
}

}  // namespace

struct OutcomePanel::Read {
    std::optional<Error> error;
    std::shared_ptr<const OutcomeList> list;
    std::optional<bool> crime;
    CrimeOutcome outcome;
    std::vector<Error> closure;
};

OutcomePanel::OutcomePanel(StoreWorker& worker, RecordsAccess& access, IncidentEditor& editor, QObject* parent)
    : QObject(parent), m_worker(worker), m_access(access), m_editor(editor)
{
    connect(&m_editor, &IncidentEditor::openChanged, this, &OutcomePanel::refresh);
}

int OutcomePanel::noteMaxLength() { return static_cast<int>(kOutcomeNoteMaxLength); }

void OutcomePanel::refresh()
{
    const quint64 generation = ++m_generation;
    const std::string id = m_editor.incidentId().toStdString();
    if (id != m_incidentId) {
        m_incidentId = id;  // another 124D: the last one's words are not this one's
        m_message.clear();
        m_fieldErrors.clear();
        emit savingChanged();
    }
    if (id.empty() || m_editor.loading()) {
        m_mayRecord = false;
        const bool had = !m_stored.isEmpty();
        m_stored.clear();
        m_summary.clear();
        m_recordedWords.clear();
        m_closeBlocker.clear();
        emit changed();
        if (had)
            emit storedChanged();
        return;
    }
    RecordsAccess* access = &m_access;
    auto list = m_list;
    m_worker.run(
        this,
        [access, id, list]() mutable {
            Read out;
            out.list = shippedOutcomes(std::move(list));
            if (!out.list)
                out.error = makeError(ErrorCode::MalformedModel, "The crime outcome list of this installation cannot be "
                                                                 "read (rules-outcomes.json): reinstall Vigil or ask your "
                                                                 "administrator.");
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto incident = repo.read(id);
                if (!incident)
                    return std::move(incident).error();
                out.crime = incident->crime;
                out.outcome = incident->outcome;
                out.closure = validateClosure(*incident);
                return {};
            });
            if (!s.ok())
                out.error = s.error();
            return out;
        },
        [this, generation](Read out) {
            if (generation == m_generation)
                apply(out);
        });
}

void OutcomePanel::apply(const Read& read)
{
    if (read.list && read.list != m_list) {
        m_list = read.list;
        m_results = optionsOf(m_list->results());
        m_courtResults = optionsOf(m_list->courtResults());
    }
    const CrimeOutcome& o = read.outcome;
    m_crime = read.crime == true;
    // The policy decides (the officer in the case, an investigator or a supervisor, once submitted).
    m_mayRecord = m_list && m_editor.mayEdit(QStringLiteral("outcome.result"));
    const QVariantMap before = m_stored;
    m_stored = QVariantMap{{QStringLiteral("incident"), q(m_incidentId)},
                           {QStringLiteral("result"), q(o.result)},
                           {QStringLiteral("decidedOn"), q(o.decidedOn)},
                           {QStringLiteral("courtResult"), q(o.courtResult)},
                           {QStringLiteral("courtOn"), q(o.courtOn)},
                           {QStringLiteral("arrestedLater"), o.arrestedLater == true},
                           {QStringLiteral("arrestedOn"), q(o.arrestedOn)},
                           {QStringLiteral("daHomicide"), o.daHomicide},
                           {QStringLiteral("note"), q(o.note)},
                           {QStringLiteral("recordedAt"), q(o.recordedAt)}};
    m_recordedWords = o.recordedBy.empty() ? QString()
                                           : tr("Recorded by %1, %2").arg(q(o.recordedBy), instantWords(q(o.recordedAt)));
    QStringList parts;
    if (!o.result.empty())
        parts << tr("%1, decided %2").arg(m_list ? q(m_list->resultLabel(o.result)) : q(o.result), q(o.decidedOn));
    if (!o.courtResult.empty())
        parts << tr("court: %1, %2").arg(m_list ? q(m_list->courtLabel(o.courtResult)) : q(o.courtResult), q(o.courtOn));
    if (o.arrestedLater == true)
        parts << tr("arrested later, %1").arg(q(o.arrestedOn));
    if (o.daHomicide)
        parts << tr("a domestic abuse homicide");
    m_summary = parts.join(QStringLiteral("; "));
    m_closeBlocker = read.closure.empty() ? QString() : q(read.closure.front().message);
    if (read.error) {
        m_message = tr("The outcome cannot be shown: %1").arg(q(read.error->message));
        emit savingChanged();
    }
    emit changed();
    if (m_stored != before)
        emit storedChanged();
}

void OutcomePanel::clearError(const QString& field)
{
    if (m_fieldErrors.remove(field) > 0)
        emit savingChanged();
}

void OutcomePanel::record(const QVariantMap& form)
{
    if (m_saving)
        return;
    if (!m_mayRecord || !m_list) {
        m_message = tr("Not recorded: the officer in the case, an investigator or a supervisor records the crime's "
                       "outcome, once the 124D has been submitted.");
        emit savingChanged();
        return;
    }
    CrimeOutcome outcome;
    outcome.result = text(form, "result");
    outcome.decidedOn = text(form, "decidedOn");
    outcome.courtResult = text(form, "courtResult");
    outcome.courtOn = text(form, "courtOn");
    outcome.arrestedLater = form.value(QStringLiteral("arrestedLater")).toBool() ? std::optional<bool>(true) : std::nullopt;
    outcome.arrestedOn = text(form, "arrestedOn");
    outcome.daHomicide = form.value(QStringLiteral("daHomicide")).toBool();
    outcome.note = form.value(QStringLiteral("note")).toString().trimmed().toStdString();
    // An arrest switched off is "not arrested later" once it was recorded, else left unanswered.
    if (!outcome.arrestedLater && m_stored.value(QStringLiteral("arrestedLater")).toBool())
        outcome.arrestedLater = false;
    m_saving = true;
    m_message.clear();
    m_fieldErrors.clear();
    emit savingChanged();
    RecordsAccess* access = &m_access;
    const std::string id = m_editor.incidentId().toStdString();
    auto list = m_list;
    struct Out {
        std::optional<Error> failure;
        std::vector<Error> problems;
    };
    m_worker.run(
        this,
        [access, id, list, outcome]() {
            Out out;
            const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto incident = repo.read(id);
                if (!incident)
                    return std::move(incident).error();
                // A day's grace: London's day may be ahead of the UTC clock's after midnight in summer.
                out.problems = validateOutcome(*incident, outcome, *list, today + std::chrono::days{1});
                if (!out.problems.empty())
                    return {};
                return repo.recordOutcome(access->actor(), id, outcome);
            });
            if (!s.ok())
                out.failure = s.error();
            else if (out.problems.empty())
                access->changed();
            return out;
        },
        [this](Out out) {
            m_saving = false;
            if (out.failure) {
                m_message = tr("Not recorded: %1").arg(q(out.failure->message));
            } else if (!out.problems.empty()) {
                for (const Error& e : out.problems)
                    m_fieldErrors.insert(q(e.field), q(e.message));
                m_message = out.problems.size() == 1
                                ? tr("Not recorded: %1").arg(q(out.problems.front().message))
                                : tr("Not recorded: %n problem(s) to put right, each shown under its field.", "",
                                     static_cast<int>(out.problems.size()));
            } else {
                m_message = tr("Outcome recorded. It goes to the station with the next sync, and the server checks it again.");
                emit recorded();
            }
            emit savingChanged();
            if (!out.failure && out.problems.empty())
                refresh();
        });
}

}  // namespace vigil::app
