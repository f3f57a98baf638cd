#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QAbstractListModel>
#include <QString>
#include <qqmlintegration.h>

#include "core/records/RiskMeeting.h"
#include "core/risk/RulesConfig.h"

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// One list of the risk meeting (the High-risk incidents, or the outstanding suspects): rows
/// in the core's order, initials and references only.
class RiskMeetingListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The meeting's lists belong to RiskMeetingModel")
    Q_PROPERTY(int count READ count NOTIFY rowsChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ReferenceRole,
        OfficerRole,
        TeamRole,
        OccurredRole,
        InitialsRole,
        VictimsRole,
        StandingRole,
        BandRole,
        OfficerGradeRole,
        SupervisorGradeRole,
        MaracRole,
        ChildrenRole,
        HbvFmRole,
        RestrictedRole,
        StateRole,
        CadRole,
        CrisRole,
        SinceRole,
        TimeFromRecordRole,
        SuspectsRole,
        ArrestRole,
        JustificationRole,
    };
    Q_ENUM(Role)

    /// `suspectList`: the outstanding suspects (a row without a usable date counts from when its
    /// 124D was started), else the High-risk incidents (from when it was submitted).
    explicit RiskMeetingListModel(bool suspectList, QObject* parent = nullptr)
        : QAbstractListModel(parent), m_suspectList(suspectList)
    {
    }

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// The id of the row at `row`, or "".
    Q_INVOKABLE QString idAt(int row) const;

    /// The rows, and the meeting's time (ms since the epoch) that "how long" counts to.
    void setRows(std::vector<MeetingRow> rows, qint64 nowMs);
    [[nodiscard]] const std::vector<MeetingRow>& rows() const { return m_rows; }
    [[nodiscard]] int count() const { return static_cast<int>(m_rows.size()); }

    /// "22/11/2026 10:00" as typed, or for a 124D without a usable date "date not entered
    /// (submitted 23/11/2026 08:40)": words for a row's time, for the screen and the sheet.
    [[nodiscard]] static QString timeWords(const MeetingRow& row, bool suspect);
    /// "AB High, CD Standard": each victim's initials and grade.
    [[nodiscard]] static QString victimWords(const MeetingRow& row);

signals:
    void rowsChanged();

private:
    std::vector<MeetingRow> m_rows;
    qint64 m_nowMs = 0;
    bool m_suspectList = false;
};

/// The supervisor's daily risk management meeting (issue 23 item 5, DOMAIN.md §6): the
/// High-risk incidents of the last 24 hours and the outstanding suspects (a power of arrest and
/// no arrest recorded) on this device, read on the store worker by the core (readRiskMeeting),
/// shown as two lists and saved as a PDF meeting sheet to print. Neither holds a name, address
/// or phone number: victims' initials and references only.
class RiskMeetingModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The risk meeting belongs to AppController")
    /// High-risk incidents of the window, oldest first.
    Q_PROPERTY(RiskMeetingListModel* highRisk READ highRisk CONSTANT)
    /// Outstanding suspects, longest outstanding first.
    Q_PROPERTY(RiskMeetingListModel* suspects READ suspects CONSTANT)
    Q_PROPERTY(int highCount READ highCount NOTIFY rowsChanged)
    Q_PROPERTY(int suspectCount READ suspectCount NOTIFY rowsChanged)
    /// True once a meeting has been read (the lists may still be empty).
    Q_PROPERTY(bool ready READ ready NOTIFY rowsChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// Why the meeting could not be read, or its sheet not logged, in words ("" when all is well).
    Q_PROPERTY(QString message READ message NOTIFY loadingChanged)
    /// "Daily risk management meeting, 23/11/2026 09:00".
    Q_PROPERTY(QString title READ title NOTIFY rowsChanged)
    /// What the lists rest on: the window and how current this device's records are.
    Q_PROPERTY(QString scope READ scope NOTIFY rowsChanged)

public:
    using NowMs = std::function<qint64()>;
    /// `worker` and `access` may be null in tests that set the meeting directly.
    RiskMeetingModel(StoreWorker* worker, RecordsAccess* access, QObject* parent = nullptr, NowMs now = {});

    /// Read the meeting again from the store (when the tab opens, after a sync).
    Q_INVOKABLE void refresh();
    /// Write the meeting sheet as a PDF at `path` (created for its owner only, 0600) and log its
    /// disclosure in the audit log. "" on success, else what went wrong and what to do.
    Q_INVOKABLE QString writePdf(const QString& path);
    /// Where the sheet goes unless the user chooses: "risk-meeting-YYYY-MM-DD.pdf" in their
    /// Documents folder (their home folder when there is none).
    Q_INVOKABLE QString defaultPdfPath() const;
    /// Forget the meeting (the app locked).
    void clear();

    /// The meeting read (the worker's result; tests set it directly). `basis`: how current the
    /// device's records are ("last synced 08:55"); `generatedBy`: the signed-in user.
    void setMeeting(RiskMeeting meeting, const QString& basis, const QString& generatedBy);
    /// The sheet as the PDF prints it (HTML for QTextDocument).
    [[nodiscard]] QString sheetHtml() const;

    [[nodiscard]] RiskMeetingListModel* highRisk() { return m_high; }
    [[nodiscard]] RiskMeetingListModel* suspects() { return m_suspects; }
    [[nodiscard]] int highCount() const { return m_high->count(); }
    [[nodiscard]] int suspectCount() const { return m_suspects->count(); }
    [[nodiscard]] bool ready() const { return m_ready; }
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] QString title() const;
    [[nodiscard]] QString scope() const;

signals:
    void rowsChanged();
    void loadingChanged();

private:
    /// An audit entry per 124D on the saved sheet (a disclosure to the meeting), on the worker.
    void auditSheet(const QString& fileName);

    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    NowMs m_now;
    std::shared_ptr<const RiskModelRegistry> m_models;  ///< read on the first refresh, then kept
    std::shared_ptr<const RulesConfig> m_rules;
    RiskMeetingListModel* m_high = nullptr;      ///< child of this
    RiskMeetingListModel* m_suspects = nullptr;  ///< child of this
    RiskMeeting m_meeting;
    QString m_basis;
    QString m_generatedBy;
    bool m_ready = false;
    bool m_loading = false;
    QString m_message;
};

}  // namespace vigil::app
