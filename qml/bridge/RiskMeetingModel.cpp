#include "RiskMeetingModel.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFont>
#include <QLocale>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QStandardPaths>
#include <QTextDocument>

#include "QaQueueModel.h"
#include "RecordsAccess.h"
#include "ShippedRules.h"
#include "StoreWorker.h"
#include "Words.h"
#include "core/risk/History.h"

namespace vigil::app {

namespace {

QString gradeId(const std::optional<RiskGrade>& grade)
{
    return grade ? QString::fromUtf8(toString(*grade).data()) : QString();
}

QString gradeWord(const std::optional<RiskGrade>& grade)
{
    if (!grade)
        return RiskMeetingListModel::tr("Not graded");
    switch (*grade) {
    case RiskGrade::High: return RiskMeetingListModel::tr("High");
    case RiskGrade::Medium: return RiskMeetingListModel::tr("Medium");
    case RiskGrade::Standard: return RiskMeetingListModel::tr("Standard");
    }
    return {};
}

QString q(const std::string& text)
{
    return QString::fromStdString(text);
}

QString at(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat);
}

qint64 msOf(std::chrono::sys_seconds time)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

QString initialsOf(const MeetingRow& row)
{
    QStringList all;
    for (const auto& v : row.victims)
        all << q(v.initials);
    return all.join(QStringLiteral(", "));
}

}  // namespace

// --- RiskMeetingListModel ---

int RiskMeetingListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : count();
}

QString RiskMeetingListModel::timeWords(const MeetingRow& row, bool suspect)
{
    if (!row.timeFromRecord)
        return dateTimeWords(q(row.occurred));
    const QString typed = row.occurred.empty() ? tr("date not entered") : tr("date \"%1\" not usable").arg(q(row.occurred));
    return suspect ? tr("%1 (124D started %2)").arg(typed, at(row.atMs))
                   : tr("%1 (submitted %2)").arg(typed, at(row.atMs));
}

QString RiskMeetingListModel::victimWords(const MeetingRow& row)
{
    QStringList all;
    for (const auto& v : row.victims)
        all << tr("%1 %2").arg(q(v.initials), gradeWord(v.standing));
    return all.isEmpty() ? tr("No victim recorded") : all.join(QStringLiteral(", "));
}

QVariant RiskMeetingListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= count())
        return {};
    const MeetingRow& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case IdRole: return q(r.id);
    case ReferenceRole: return shortReference(q(r.id));
    case OfficerRole: return q(r.officer);
    case TeamRole: return q(r.team);
    case OccurredRole: return timeWords(r, m_suspectList);
    case InitialsRole: return initialsOf(r);
    case VictimsRole: return victimWords(r);
    case StandingRole: return gradeId(r.standing);
    case BandRole: return gradeId(r.computed);
    case OfficerGradeRole: return gradeId(r.officerGrade);
    case SupervisorGradeRole: return gradeId(r.supervisorGrade);
    case MaracRole: return r.maracCriteria;
    case ChildrenRole: return r.children;
    case HbvFmRole: return r.hbv || r.forcedMarriage;
    case RestrictedRole: return r.restricted;
    case StateRole: return stateWords(QString::fromUtf8(toString(r.state).data()), StateReader::Supervisor);
    case CadRole: return q(r.cad);
    case CrisRole: return q(r.cris);
    case SinceRole: return r.atMs > 0 ? QaQueueModel::waitingWords(m_nowMs - r.atMs) : QString();
    case TimeFromRecordRole: return r.timeFromRecord;
    case SuspectsRole: return r.suspects;
    case ArrestRole: return r.arrestMade ? (*r.arrestMade ? tr("Yes") : tr("No")) : tr("Not recorded");
    case JustificationRole: return r.noArrestJustification;
    default: return {};
    }
}

QHash<int, QByteArray> RiskMeetingListModel::roleNames() const
{
    return {{IdRole, "incidentId"},
            {ReferenceRole, "reference"},
            {OfficerRole, "officer"},
            {TeamRole, "team"},
            {OccurredRole, "occurred"},
            {InitialsRole, "initials"},
            {VictimsRole, "victims"},
            {StandingRole, "standing"},
            {BandRole, "band"},
            {OfficerGradeRole, "officerGrade"},
            {SupervisorGradeRole, "supervisorGrade"},
            {MaracRole, "maracCriteria"},
            {ChildrenRole, "children"},
            {HbvFmRole, "hbvOrForcedMarriage"},
            {RestrictedRole, "restricted"},
            {StateRole, "state"},
            {CadRole, "cad"},
            {CrisRole, "cris"},
            {SinceRole, "since"},
            {TimeFromRecordRole, "timeFromRecord"},
            {SuspectsRole, "suspectCount"},
            {ArrestRole, "arrest"},
            {JustificationRole, "justificationGiven"}};
}

QString RiskMeetingListModel::idAt(int row) const
{
    if (row < 0 || row >= count())
        return {};
    return q(m_rows[static_cast<std::size_t>(row)].id);
}

void RiskMeetingListModel::setRows(std::vector<MeetingRow> rows, qint64 nowMs)
{
    beginResetModel();
    m_rows = std::move(rows);
    m_nowMs = nowMs;
    endResetModel();
    emit rowsChanged();
}

// --- RiskMeetingModel ---

RiskMeetingModel::RiskMeetingModel(StoreWorker* worker, RecordsAccess* access, QObject* parent, NowMs now)
    : QObject(parent), m_worker(worker), m_access(access), m_now(std::move(now)),
      m_high(new RiskMeetingListModel(false, this)), m_suspects(new RiskMeetingListModel(true, this))
{
    if (!m_now)
        m_now = [] { return QDateTime::currentMSecsSinceEpoch(); };
}

void RiskMeetingModel::refresh()
{
    if (!m_worker || !m_access || m_loading)
        return;
    m_loading = true;
    emit loadingChanged();
    RecordsAccess* access = m_access;
    RiskMeetingOptions options;
    const qint64 nowMs = m_now();
    options.now = std::chrono::sys_seconds{std::chrono::seconds{nowMs / 1000}};
    // Typed times are the officer's local time; the desk is in the same force's zone.
    options.localOffsetMinutes = QDateTime::fromMSecsSinceEpoch(nowMs).offsetFromUtc() / 60;
    struct Out {
        RiskMeeting meeting;
        QString basis;
        QString user;
        QString error;
        std::shared_ptr<const RiskModelRegistry> models;
        std::shared_ptr<const RulesConfig> rules;
    };
    m_worker->run(
        this,
        [access, options, models = m_models, rules = m_rules]() mutable {
            Out out;
            // Read once, then kept: the meeting is read again after every sync.
            models = shippedModels(std::move(models));
            rules = shippedRules(std::move(rules));
            out.models = models;
            out.rules = rules;
            if (!models || !rules) {
                out.error = tr("The risk rules could not be read, so the meeting's grades cannot be worked out. "
                               "Reinstall Vigil.");
                return out;
            }
            const HistorySource source = access->historySource();
            out.basis = QString::fromStdString(describeSync(source, options.now));
            out.user = QString::fromStdString(access->actor().userId);
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto meeting = readRiskMeeting(repo, store, *models, *rules, source, options);
                if (!meeting)
                    return std::move(meeting).error();
                out.meeting = std::move(meeting).value();
                return {};
            });
            if (!s.ok())
                out.error = tr("The risk meeting could not be read: %1. Lock Vigil, unlock it and open the meeting "
                               "again; if this repeats, tell your IT service desk.")
                                .arg(QString::fromStdString(s.error().message));
            return out;
        },
        [this](Out out) {
            m_loading = false;
            m_message = out.error;
            m_models = std::move(out.models);
            m_rules = std::move(out.rules);
            if (out.error.isEmpty())
                setMeeting(std::move(out.meeting), out.basis, out.user);
            emit loadingChanged();
        });
}

void RiskMeetingModel::setMeeting(RiskMeeting meeting, const QString& basis, const QString& generatedBy)
{
    m_meeting = std::move(meeting);
    m_basis = basis;
    m_generatedBy = generatedBy;
    m_ready = true;
    const qint64 nowMs = msOf(m_meeting.now);
    m_high->setRows(m_meeting.highRisk, nowMs);
    m_suspects->setRows(m_meeting.suspects, nowMs);
    emit rowsChanged();
}

void RiskMeetingModel::clear()
{
    m_meeting = {};
    m_basis.clear();
    m_generatedBy.clear();
    m_ready = false;
    m_message.clear();
    m_high->setRows({}, 0);
    m_suspects->setRows({}, 0);
    emit rowsChanged();
    emit loadingChanged();
}

QString RiskMeetingModel::title() const
{
    if (!m_ready)
        return tr("Daily risk management meeting");
    return tr("Daily risk management meeting, %1").arg(at(msOf(m_meeting.now)));
}

QString RiskMeetingModel::scope() const
{
    if (!m_ready)
        return {};
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(m_meeting.now - m_meeting.from).count();
    return tr("124Ds in your scope on this device (%1). High-risk incidents of the last %2 hours, since %3; outstanding "
              "suspects of any age.")
        .arg(m_basis)
        .arg(hours)
        .arg(at(msOf(m_meeting.from)));
}

QString RiskMeetingModel::defaultPdfPath() const
{
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QDir(folder).exists())
        folder = QDir::homePath();
    const QDate day = QDateTime::fromMSecsSinceEpoch(m_now()).date();
    return QDir(folder).filePath(QStringLiteral("risk-meeting-%1.pdf").arg(day.toString(Qt::ISODate)));
}

namespace {

QString cell(const QString& text)
{
    return QStringLiteral("<td>") + text.toHtmlEscaped() + QStringLiteral("</td>");
}

QString headings(const QStringList& names)
{
    QString out = QStringLiteral("<tr>");
    for (const QString& n : names)
        out += QStringLiteral("<th align=\"left\" bgcolor=\"#e0e0e0\">") + n.toHtmlEscaped() + QStringLiteral("</th>");
    return out + QStringLiteral("</tr>");
}

/// Vigil's reference, CAD and CRIS, one a line (a CAD reference is never broken mid-number).
QString references(const MeetingRow& r)
{
    QStringList refs{shortReference(q(r.id)).toHtmlEscaped()};
    if (!r.cad.empty())
        refs << RiskMeetingModel::tr("CAD %1").arg(q(r.cad)).toHtmlEscaped();
    if (!r.cris.empty())
        refs << RiskMeetingModel::tr("CRIS %1").arg(q(r.cris)).toHtmlEscaped();
    return QStringLiteral("<td style=\"white-space: nowrap\">") + refs.join(QStringLiteral("<br>")) + QStringLiteral("</td>");
}

QString grades(const MeetingRow& r)
{
    QStringList parts{gradeWord(r.standing)};
    if (r.computed)
        parts << RiskMeetingModel::tr("answers %1").arg(gradeWord(r.computed));
    if (r.officerGrade)
        parts << RiskMeetingModel::tr("officer %1").arg(gradeWord(r.officerGrade));
    if (r.supervisorGrade)
        parts << RiskMeetingModel::tr("supervisor %1").arg(gradeWord(r.supervisorGrade));
    return parts.join(QStringLiteral(" · "));
}

QString flags(const MeetingRow& r)
{
    QStringList parts;
    if (r.maracCriteria > 0)
        parts << RiskMeetingModel::tr("MARAC criteria: %1").arg(r.maracCriteria);
    if (r.children > 0)
        parts << RiskMeetingModel::tr("children: %1").arg(r.children);
    if (r.hbv)
        parts << RiskMeetingModel::tr("HBV");
    if (r.forcedMarriage)
        parts << RiskMeetingModel::tr("forced marriage");
    return parts.join(QStringLiteral(" · "));
}

QString stateOf(const MeetingRow& r)
{
    return stateWords(QString::fromUtf8(toString(r.state).data()), StateReader::Supervisor);
}

/// In place of a restricted record's victims (police staff involved): on paper it shows its
/// reference, time, grade and state only, as whoever reads the sheet may not be on its access
/// list (DOMAIN.md §9).
QString withheld()
{
    return QStringLiteral("<td><i>")
           + RiskMeetingModel::tr("Restricted record: details withheld from the printed sheet; open it in Vigil.").toHtmlEscaped()
           + QStringLiteral("</i></td>");
}

}  // namespace

QString RiskMeetingModel::sheetHtml() const
{
    const QString none = QStringLiteral("<p>") + tr("None.").toHtmlEscaped() + QStringLiteral("</p>");
    QString html = QStringLiteral("<html><body>");
    html += QStringLiteral("<p align=\"center\"><b>OFFICIAL-SENSITIVE</b></p>");
    html += QStringLiteral("<h2>") + title().toHtmlEscaped() + QStringLiteral("</h2>");
    html += QStringLiteral("<p>") + scope().toHtmlEscaped() + QStringLiteral("</p>");

    html += QStringLiteral("<h3>") + tr("High-risk incidents since %1 (%2)").arg(at(msOf(m_meeting.from))).arg(highCount()).toHtmlEscaped()
            + QStringLiteral("</h3>");
    if (m_meeting.highRisk.empty()) {
        html += none;
    } else {
        html += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">");
        html += headings({tr("Occurred"), tr("References"), tr("Victims"), tr("Grade"), tr("MARAC, children, HBV/FM"),
                          tr("Officer (team)"), tr("State")});
        for (const MeetingRow& r : m_meeting.highRisk) {
            html += QStringLiteral("<tr>") + cell(RiskMeetingListModel::timeWords(r, false)) + references(r);
            if (r.restricted) {
                html += withheld() + cell(gradeWord(r.standing)) + cell({}) + cell({});
            } else {
                html += cell(RiskMeetingListModel::victimWords(r)) + cell(grades(r)) + cell(flags(r))
                        + cell(tr("%1 (%2)").arg(q(r.officer), q(r.team)));
            }
            html += cell(stateOf(r)) + QStringLiteral("</tr>");
        }
        html += QStringLiteral("</table>");
    }

    html += QStringLiteral("<h3>") + tr("Outstanding suspects: a power of arrest, no arrest recorded (%1)").arg(suspectCount()).toHtmlEscaped()
            + QStringLiteral("</h3>");
    if (m_meeting.suspects.empty()) {
        html += none;
    } else {
        html += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">");
        html += headings({tr("Occurred"), tr("Outstanding"), tr("References"), tr("Victims"), tr("Grade"),
                          tr("Arrest made"), tr("Reason for no arrest"), tr("Officer (team)"), tr("State")});
        const qint64 nowMs = msOf(m_meeting.now);
        for (const MeetingRow& r : m_meeting.suspects) {
            html += QStringLiteral("<tr>") + cell(RiskMeetingListModel::timeWords(r, true))
                    + cell(r.atMs > 0 ? QaQueueModel::waitingWords(nowMs - r.atMs) : QString()) + references(r);
            if (r.restricted) {
                html += withheld() + cell(gradeWord(r.standing)) + cell({}) + cell({}) + cell({});
            } else {
                html += cell(RiskMeetingListModel::victimWords(r)) + cell(grades(r))
                        + cell(r.arrestMade ? tr("No") : tr("Not recorded"))
                        + cell(r.noArrestJustification ? tr("Written on the 124D") : tr("Not written"))
                        + cell(tr("%1 (%2)").arg(q(r.officer), q(r.team)));
            }
            html += cell(stateOf(r)) + QStringLiteral("</tr>");
        }
        html += QStringLiteral("</table>");
    }

    html += QStringLiteral("<p><small>")
            + tr("Generated by %1 with Vigil %2 at %3. This sheet holds victims' initials and references only; restricted "
                 "records are withheld. Keep it secure and destroy it after the meeting.")
                  .arg(m_generatedBy.isEmpty() ? tr("an unknown user") : m_generatedBy, QStringLiteral(VIGIL_VERSION), at(m_now()))
                  .toHtmlEscaped()
            + QStringLiteral("</small></p>");
    html += QStringLiteral("<p align=\"center\"><b>OFFICIAL-SENSITIVE</b></p></body></html>");
    return html;
}

QString RiskMeetingModel::writePdf(const QString& path)
{
    if (!m_ready)
        return tr("The meeting has not been read yet: wait until the lists show, then save again.");
    if (path.trimmed().isEmpty())
        return tr("No file name was given: choose where to save the meeting sheet.");
    const QFileInfo info(path);
    if (info.isDir())
        return tr("%1 is a folder: give a file name ending in .pdf.").arg(path);
    if (const QFileInfo folder(info.absolutePath()); folder.exists() && !folder.isDir())
        return tr("%1 is a file, not a folder: choose another folder, then save again.")
            .arg(QDir::toNativeSeparators(info.absolutePath()));
    if (!info.absoluteDir().exists())
        return tr("The folder %1 does not exist: create it or choose another folder, then save again.")
            .arg(QDir::toNativeSeparators(info.absolutePath()));
    QFile file(path);
    // Created for its owner only; a file already there keeps its old permissions when opened, so
    // they are set again before anything is written.
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate, ownerOnly))
        return tr("Vigil could not write %1 (%2): choose a folder you can write to, such as your Documents folder, "
                  "and save again.")
            .arg(QDir::toNativeSeparators(info.absoluteFilePath()), file.errorString());
    if (!file.setPermissions(ownerOnly)) {
        file.close();
        file.remove();
        return tr("Vigil could not make %1 private to you (%2): choose a folder on this computer's own disk, such as "
                  "your Documents folder, and save again.")
            .arg(QDir::toNativeSeparators(info.absoluteFilePath()), file.errorString());
    }
    {
        QPdfWriter writer(&file);
        writer.setTitle(tr("Daily risk management meeting"));  // no personal data in the file's metadata
        writer.setCreator(QStringLiteral("Vigil"));
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(12, 12, 12, 12),
                                         QPageLayout::Millimeter));
        QTextDocument document;
        QFont font = document.defaultFont();
        font.setPointSizeF(9);
        document.setDefaultFont(font);
        document.setHtml(sheetHtml());
        document.print(&writer);
    }
    file.close();
    if (file.error() != QFileDevice::NoError || QFileInfo(path).size() == 0) {
        const QString reason = file.errorString();
        file.remove();
        return tr("The meeting sheet could not be written to %1 (%2): check there is space on the disk, then save again.")
            .arg(QDir::toNativeSeparators(info.absoluteFilePath()), reason);
    }
    auditSheet(info.fileName());
    return {};
}

void RiskMeetingModel::auditSheet(const QString& fileName)
{
    if (!m_worker || !m_access)
        return;
    std::vector<std::string> ids;
    for (const auto* rows : {&m_meeting.highRisk, &m_meeting.suspects}) {
        for (const MeetingRow& r : *rows) {
            if (std::find(ids.begin(), ids.end(), r.id) == ids.end())
                ids.push_back(r.id);
        }
    }
    if (ids.empty())
        return;
    RecordsAccess* access = m_access;
    const std::string detail = "on the daily risk management meeting sheet saved as " + fileName.toStdString();
    m_worker->run(
        this,
        [access, ids, detail] {
            Actor actor = access->actor();
            actor.justification = "daily risk management meeting";
            Status s = access->withRecords([&](RecordStore& store) {
                return store.transaction([&]() -> Status {
                    for (const std::string& id : ids)
                        VIGIL_TRY(store.audit(actor, AuditAction::Disclosure, Entity::Incident, id, detail,
                                              {"daily risk management meeting"}));
                    return {};
                });
            });
            return s.ok() ? QString()
                          : tr("The meeting sheet was saved, but the audit log could not record it: %1. Tell your IT "
                               "service desk.")
                                .arg(QString::fromStdString(s.error().message));
        },
        [this](const QString& error) {
            if (error.isEmpty())
                return;
            m_message = error;
            emit loadingChanged();
        });
}

}  // namespace vigil::app
