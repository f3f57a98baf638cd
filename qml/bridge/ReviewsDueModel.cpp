#include "ReviewsDueModel.h"

#include <QDateTime>
#include <QSettings>

#include "core/risk/Dates.h"
#include "RecordsAccess.h"
#include "ShippedRules.h"
#include "StoreWorker.h"
#include "Words.h"

namespace vigil::app {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::chrono::sys_seconds systemNow()
{
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

QString isoOf(std::chrono::sys_seconds t) { return q(formatIsoDateTime(t)); }

}  // namespace

ReviewsDueModel::ReviewsDueModel(StoreWorker* worker, RecordsAccess* access, QObject* parent, NowSeconds now)
    : QAbstractListModel(parent), m_worker(worker), m_access(access), m_now(std::move(now))
{
    if (!m_now)
        m_now = systemNow;
}

int ReviewsDueModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : count(); }

int ReviewsDueModel::overdueCount() const
{
    const auto now = m_now();
    return static_cast<int>(std::count_if(m_rows.begin(), m_rows.end(), [now](const ReviewDueRow& r) { return r.overdue(now); }));
}

QVariant ReviewsDueModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= count())
        return {};
    const ReviewDueRow& r = m_rows[static_cast<std::size_t>(index.row())];
    const auto now = m_now();
    switch (role) {
    case Qt::DisplayRole:
    case IdRole: return q(r.id);
    case ReferenceRole: return shortReference(q(r.id));
    case OfficerRole: return q(r.officer);
    case TeamRole: return q(r.team);
    case OccurredRole: return r.occurred.empty() ? QString() : dateTimeWords(q(r.occurred));
    case InitialsRole: {
        QStringList all;
        for (const auto& i : r.initials)
            all << q(i);
        return all.join(QStringLiteral(", "));
    }
    case CadRole: return q(r.cad);
    case CrisRole: return q(r.cris);
    case StateRole: return stateWords(QString::fromUtf8(toString(r.state).data()), StateReader::Supervisor);
    case SeriousSexualOffenceRole: return r.seriousSexualOffence;
    case RestrictedRole: return r.restricted;
    case OverdueRole: return r.overdue(now);
    case DueRole: return instantWords(isoOf(r.due.due));
    case DueInRole:
        return r.overdue(now) ? tr("Overdue by %1").arg(q(spanWords(now - r.due.due)))
                              : tr("Due in %1").arg(q(spanWords(r.due.due - now)));
    case LevelRole: return reviewLevelLabel(r.due.level);
    case BasisRole: return q(r.due.basis);
    case LastReviewRole:
        return r.lastReviewAt.empty() ? tr("Never reviewed")
                                      : tr("%1 by %2").arg(instantWords(q(r.lastReviewAt)), q(r.lastReviewBy));
    default: return {};
    }
}

QHash<int, QByteArray> ReviewsDueModel::roleNames() const
{
    return {{IdRole, "incidentId"},   {ReferenceRole, "reference"}, {OfficerRole, "officer"},
            {TeamRole, "team"},       {OccurredRole, "occurred"},   {InitialsRole, "initials"},
            {CadRole, "cad"},         {CrisRole, "cris"},           {StateRole, "stateWords"},
            {SeriousSexualOffenceRole, "seriousSexualOffence"},     {RestrictedRole, "restricted"},
            {OverdueRole, "overdue"}, {DueRole, "due"},             {DueInRole, "dueIn"},
            {LevelRole, "level"},     {BasisRole, "basis"},         {LastReviewRole, "lastReview"}};
}

void ReviewsDueModel::setRows(std::vector<ReviewDueRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    emit rowsChanged();
}

QString ReviewsDueModel::idAt(int row) const
{
    return row >= 0 && row < count() ? q(m_rows[static_cast<std::size_t>(row)].id) : QString();
}

void ReviewsDueModel::refresh()
{
    if (!m_worker || !m_access)
        return;
    if (m_loading) {
        m_again = true;  // read again when this one ends: a review was just logged
        return;
    }
    m_loading = true;
    emit loadingChanged();
    RecordsAccess* access = m_access;
    struct Out {
        std::vector<ReviewDueRow> rows;
        QString error;
        std::shared_ptr<const RulesConfig> rules;
    };
    const auto now = m_now();
    m_worker->run(
        this,
        [access, rules = m_rules, now]() mutable {
            Out out;
            out.rules = shippedRules(std::move(rules));
            if (!out.rules) {
                out.error = tr("The review rules could not be read. Reinstall Vigil.");
                return out;
            }
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                auto rows = readReviewsDue(store, *out.rules, now);
                if (!rows)
                    return std::move(rows).error();
                out.rows = std::move(rows).value();
                return {};
            });
            if (!s.ok())
                out.error = tr("The reviews due could not be read: %1. Lock Vigil, unlock it and look again; if this "
                               "repeats, tell your IT service desk.")
                                .arg(q(s.error().message));
            return out;
        },
        [this](Out out) {
            m_loading = false;
            m_message = out.error;
            m_rules = std::move(out.rules);
            if (out.error.isEmpty())
                setRows(std::move(out.rows));
            emit loadingChanged();
            if (m_again) {
                m_again = false;
                refresh();
            }
        });
}

// --- returns per officer ---

ReturnsReport::ReturnsReport(StoreWorker* worker, RecordsAccess* access, QString seenFile, QObject* parent,
                             NowSeconds now)
    : QObject(parent), m_worker(worker), m_access(access), m_seenFile(std::move(seenFile)), m_now(std::move(now))
{
    if (!m_now)
        m_now = systemNow;
}

void ReturnsReport::setDays(int days)
{
    days = std::clamp(days, 1, 366);
    if (days == m_days)
        return;
    m_days = days;
    emit changed();
    refresh();
}

QString ReturnsReport::sectionWords(const QString& id)
{
    static const QHash<QString, const char*> words{
        {QStringLiteral("incident"), QT_TR_NOOP("Incident and references")},
        {QStringLiteral("victims"), QT_TR_NOOP("Victims")},
        {QStringLiteral("suspects"), QT_TR_NOOP("Suspects")},
        {QStringLiteral("children"), QT_TR_NOOP("Children")},
        {QStringLiteral("dash"), QT_TR_NOOP("DASH questions")},
        {QStringLiteral("grade"), QT_TR_NOOP("Risk grade")},
        {QStringLiteral("rara"), QT_TR_NOOP("RARA actions")},
        {QStringLiteral("positive_action"), QT_TR_NOOP("Positive action")},
        {QStringLiteral("evidence"), QT_TR_NOOP("Evidence")},
        {QStringLiteral("marac"), QT_TR_NOOP("Referrals and MARAC")},
        {QStringLiteral("review"), QT_TR_NOOP("Review and submit")},
        {QStringLiteral("general"), QT_TR_NOOP("General notes")}};
    const auto it = words.find(id);
    return it == words.end() ? id : tr(it.value());
}

void ReturnsReport::setReport(const vigil::QaReturnsReport& report, const std::string& me)
{
    QSettings seen(m_seenFile, QSettings::IniFormat);
    const QString lastSeen = seen.value(QStringLiteral("returnsSeenAt")).toString();
    m_officers.clear();
    for (const OfficerQa& o : report.officers) {
        QStringList sections;
        for (const auto& [id, n] : o.sections)
            sections << QStringLiteral("%1 (%2)").arg(sectionWords(q(id))).arg(n);
        m_officers << QVariantMap{{QStringLiteral("officer"), q(o.officer)},
                                  {QStringLiteral("team"), q(o.team)},
                                  {QStringLiteral("checked"), o.checked()},
                                  {QStringLiteral("returned"), o.returned},
                                  {QStringLiteral("approved"), o.approved},
                                  {QStringLiteral("rate"), QStringLiteral("%1%").arg(o.returnRatePercent())},
                                  {QStringLiteral("sections"), sections.join(QStringLiteral(", "))}};
    }
    m_returns.clear();
    m_unseen = 0;
    for (const QaReturn& r : report.returns) {
        QStringList sections;
        for (const auto& id : r.sections)
            sections << sectionWords(q(id));
        // Told: a return by someone else, made after this supervisor last looked.
        const bool unseen = r.by != me && (lastSeen.isEmpty() || q(r.at) > lastSeen);
        m_unseen += unseen ? 1 : 0;
        m_returns << QVariantMap{{QStringLiteral("incidentId"), q(r.incidentId)},
                                 {QStringLiteral("reference"), shortReference(q(r.incidentId))},
                                 {QStringLiteral("officer"), q(r.officer)},
                                 {QStringLiteral("team"), q(r.team)},
                                 {QStringLiteral("at"), instantWords(q(r.at))},
                                 {QStringLiteral("by"), q(r.by)},
                                 {QStringLiteral("notes"), q(r.notes)},
                                 {QStringLiteral("sections"), sections.join(QStringLiteral(", "))},
                                 {QStringLiteral("unseen"), unseen}};
    }
    emit changed();
}

void ReturnsReport::markSeen()
{
    QSettings seen(m_seenFile, QSettings::IniFormat);
    seen.setValue(QStringLiteral("returnsSeenAt"), isoOf(m_now()));
    seen.sync();
    if (m_unseen == 0)
        return;
    for (QVariant& v : m_returns) {
        QVariantMap row = v.toMap();
        row[QStringLiteral("unseen")] = false;
        v = row;
    }
    m_unseen = 0;
    emit changed();
}

void ReturnsReport::refresh()
{
    if (!m_worker || !m_access)
        return;
    RecordsAccess* access = m_access;
    const auto to = m_now() + std::chrono::minutes(1);
    const auto from = m_now() - std::chrono::days(m_days);
    struct Out {
        vigil::QaReturnsReport report;
        std::string me;
        QString error;
    };
    m_worker->run(
        this,
        [access, from, to]() {
            Out out;
            out.me = access->actor().userId;
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                auto report = readQaReturns(store, from, to);
                if (!report)
                    return std::move(report).error();
                out.report = std::move(report).value();
                return {};
            });
            if (!s.ok())
                out.error = tr("The QA returns could not be read: %1. Lock Vigil, unlock it and look again.")
                                .arg(q(s.error().message));
            return out;
        },
        [this](Out out) {
            m_message = out.error;
            if (out.error.isEmpty())
                setReport(out.report, out.me);
            else
                emit changed();
        });
}

}  // namespace vigil::app
