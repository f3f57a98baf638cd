#include "SupervisionPanel.h"

#include <QDateTime>

#include "core/records/IncidentRepository.h"
#include "core/records/SupervisionLists.h"
#include "core/risk/AuthorityPolicy.h"
#include "core/risk/Dates.h"
#include "core/risk/ReviewCadence.h"
#include "core/risk/RiskModelDir.h"
#include "IncidentEditor.h"
#include "ReviewsDueModel.h"
#include "RecordsAccess.h"
#include "ShippedRules.h"
#include "StoreWorker.h"
#include "Words.h"

namespace vigil::app {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString titleOf(const SupervisionEntry& e)
{
    if (e.kind == "qa")
        return e.outcome == "returned" ? SupervisionPanel::tr("QA: returned to the officer")
                                       : SupervisionPanel::tr("QA: approved");
    if (e.kind == "final")
        return SupervisionPanel::tr("Final risk review: closed");
    return SupervisionPanel::tr("Review of the investigation");
}

/// Whether this user's role may add to the 124D's supervision log in its state (the policy).
bool mayLog(Role role, LifecycleState state, std::optional<Error>& error)
{
    static const auto policy = AuthorityPolicy::loadFile(shippedRiskModelPath() / "rules-authority.json");
    if (!policy) {
        error = policy.error();
        return false;
    }
    return policy->mayWrite(WriteContext{role, false, false, state}, "supervision", "kind");
}

}  // namespace

struct SupervisionPanel::Read {
    std::optional<Error> error;
    std::shared_ptr<const RulesConfig> rules;
    std::vector<SupervisionEntry> log;
    std::optional<ReviewDue> due;
    bool mayLog = false;
};

SupervisionPanel::SupervisionPanel(StoreWorker& worker, RecordsAccess& access, IncidentEditor& editor, QObject* parent)
    : QObject(parent), m_worker(worker), m_access(access), m_editor(editor)
{
    connect(&m_editor, &IncidentEditor::openChanged, this, &SupervisionPanel::refresh);
}

void SupervisionPanel::clear()
{
    m_entries.clear();
    m_due.clear();
    m_dueIn.clear();
    m_dueLevel.clear();
    m_overdue = false;
    m_mayReview = false;
    emit changed();
}

void SupervisionPanel::refresh()
{
    const quint64 generation = ++m_generation;
    const std::string id = m_editor.incidentId().toStdString();
    if (id != m_incidentId) {
        m_incidentId = id;  // another 124D: the last one's outcome is not this one's
        m_message.clear();
        emit savingChanged();
    }
    if (id.empty() || m_editor.loading()) {
        clear();
        return;
    }
    RecordsAccess* access = &m_access;
    auto rules = m_rules;
    m_worker.run(
        this,
        [access, id, rules]() mutable {
            Read out;
            rules = shippedRules(std::move(rules));
            out.rules = rules;
            if (!rules) {
                out.error = makeError(ErrorCode::MalformedModel,
                                      "The review rules could not be read, so when reviews are due cannot be worked "
                                      "out. Reinstall Vigil.");
                return out;
            }
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto incident = repo.read(id);
                if (!incident)
                    return std::move(incident).error();
                auto row = store.get(Entity::Incident, id);
                if (!row)
                    return std::move(row).error();
                if (*row)
                    out.due = nextReviewDue(*incident, reviewClockOf(**row), *rules);
                out.log = incident->supervision;
                out.mayLog = out.due && mayLog(access->role(), incident->state, out.error);
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

void SupervisionPanel::apply(const Read& read)
{
    if (read.rules)
        m_rules = read.rules;
    m_entries.clear();
    for (const SupervisionEntry& e : read.log) {
        QStringList sections;
        for (const auto& s : e.sections)
            sections << ReturnsReport::sectionWords(q(s));
        m_entries << QVariantMap{
            {QStringLiteral("kind"), q(e.kind)},
            {QStringLiteral("title"), titleOf(e)},
            {QStringLiteral("at"), instantWords(q(e.at))},
            {QStringLiteral("by"), q(e.by)},
            {QStringLiteral("level"), e.kind == "review" ? reviewLevelLabel(reviewLevelFromString(e.level).value_or(ReviewLevel::Supervisor)) : QString()},
            {QStringLiteral("risk"), e.risk ? gradeWords(QString::fromUtf8(toString(*e.risk).data())) : QString()},
            {QStringLiteral("notes"), q(e.notes)},
            {QStringLiteral("sections"), sections.join(QStringLiteral(", "))},
            {QStringLiteral("nextDue"), e.nextDue.empty() ? QString() : instantWords(q(e.nextDue))},
        };
    }
    m_due.clear();
    m_dueIn.clear();
    m_dueLevel.clear();
    m_overdue = false;
    if (read.due) {
        const auto dueAt = QDateTime::fromSecsSinceEpoch(read.due->due.time_since_epoch().count(), Qt::UTC);
        const qint64 nowSecs = QDateTime::currentSecsSinceEpoch();
        const qint64 left = read.due->due.time_since_epoch().count() - nowSecs;
        m_overdue = left < 0;
        m_dueLevel = QString::fromUtf8(toString(read.due->level).data());
        m_due = tr("Review by %1 due %2: %3.")
                    .arg(q(reviewLevelWords(read.due->level)), instantWords(dueAt.toString(Qt::ISODate)),
                         q(read.due->basis));
        m_dueIn = m_overdue ? tr("Overdue by %1").arg(q(spanWords(std::chrono::seconds(-left))))
                            : tr("Due in %1").arg(q(spanWords(std::chrono::seconds(left))));
    }
    m_mayReview = read.mayLog;
    if (read.error)
        m_message = q(read.error->message);
    emit changed();
}

void SupervisionPanel::recordReview(const QString& level, const QString& risk, const QString& notes)
{
    if (m_saving || !m_mayReview)
        return;
    const auto refuse = [this](const QString& why) {
        m_message = why;
        emit savingChanged();
    };
    const auto reviewLevel = reviewLevelFromString(level.toStdString());
    const auto grade = riskGradeFromString(risk.toStdString());
    if (!reviewLevel)
        return refuse(tr("Not recorded: say at which level you review (supervisor, inspector or chief inspector)."));
    if (!grade)
        return refuse(tr("Not recorded: re-assess the risk (High, Medium or Standard) as it stands now."));
    if (notes.trimmed().isEmpty())
        return refuse(tr("Not recorded: write what you reviewed: the risk now, the suspect, the victim's safety, and "
                         "the actions set."));
    if (!m_rules)
        return;
    m_saving = true;
    m_message.clear();
    emit savingChanged();
    RecordsAccess* access = &m_access;
    const std::string id = m_editor.incidentId().toStdString();
    auto rules = m_rules;
    SupervisionEntry entry;
    entry.kind = "review";
    entry.outcome = "reviewed";
    entry.level = std::string(toString(*reviewLevel));
    entry.risk = grade;
    entry.notes = notes.trimmed().toStdString();
    m_worker.run(
        this,
        [access, id, rules, entry]() mutable -> std::optional<Error> {
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto incident = repo.read(id);
                if (!incident)
                    return std::move(incident).error();
                auto row = store.get(Entity::Incident, id);
                if (!row)
                    return std::move(row).error();
                if (!*row)
                    return makeError(ErrorCode::NotFound, "This 124D is no longer on this device. Go back to the desk.");
                const ReviewClock clock = reviewClockOf(**row);
                std::optional<Error> policyError;
                if (!nextReviewDue(*incident, clock, *rules) || !mayLog(access->role(), incident->state, policyError))
                    return makeError(ErrorCode::Rejected, policyError ? policyError->message
                                                                      : "No review is due on this 124D in its present "
                                                                        "state, so none was recorded.");
                entry.by = access->actor().userId;
                entry.at = store.nowIso();
                // When the next is due, counting this one.
                incident->supervision.push_back(entry);
                if (auto next = nextReviewDue(*incident, clock, *rules))
                    entry.nextDue = formatIsoDateTime(next->due);
                auto logged = repo.appendSupervision(access->actor(), id, entry);
                if (!logged)
                    return std::move(logged).error();
                return {};
            });
            if (!s.ok())
                return s.error();
            access->changed();
            return std::nullopt;
        },
        [this](std::optional<Error> error) {
            m_saving = false;
            m_message = error ? tr("Not recorded: %1").arg(q(error->message))
                              : tr("Review recorded. It goes to the station with the next sync.");
            emit savingChanged();
            if (!error)
                emit recorded();
            refresh();
        });
}

}  // namespace vigil::app
