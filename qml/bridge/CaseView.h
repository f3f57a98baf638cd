#pragma once

#include <QObject>
#include <QString>
#include <QVariantList>
#include <QVariantMap>
#include <qqmlintegration.h>

#include <functional>
#include <memory>

#include "core/casework/WorkingDays.h"
#include "core/records/CaseRepository.h"

namespace vigil::app {

class RecordsAccess;
class StoreWorker;

/// The case open on screen (issue 24): the victim's safe-contact rules, always shown first;
/// the timeline of contacts and events; what is due (the first contact attempt, the next
/// contact, the Victims' Code items of an investigation, a feedback form due); the safety plan;
/// protective orders; the feedback forms issued and their responses counted. Every change goes
/// through CaseRepository on the store worker (the core checks the safe-contact rules first;
/// the server checks them again) and syncs like any record.
class CaseView : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The open case belongs to Casework")
    Q_PROPERTY(QString caseId READ caseId NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString victimName READ victimName NOTIFY changed)
    Q_PROPERTY(QString reference READ reference NOTIFY changed)
    Q_PROPERTY(QString kind READ kind NOTIFY changed)
    Q_PROPERTY(QString status READ status NOTIFY changed)
    Q_PROPERTY(QString statusWords READ statusWords NOTIFY changed)
    Q_PROPERTY(QString riskWords READ riskWords NOTIFY changed)
    /// The victim agreed to her details going to victim services (the Victims' Code item waits
    /// for this for a domestic-abuse victim).
    Q_PROPERTY(bool servicesConsent READ servicesConsent NOTIFY changed)
    /// She was asked and said no (recorded; neither this nor servicesConsent: not asked yet).
    Q_PROPERTY(bool servicesConsentRefused READ servicesConsentRefused NOTIFY changed)
    /// The victim's safe-contact rules in a line, and each answer: {phone, text, voicemail,
    /// email, visit: true/false/undefined, safeTimes, afraidOf, updatedBy, updatedAt}.
    Q_PROPERTY(QString safeSummary READ safeSummary NOTIFY changed)
    Q_PROPERTY(QVariantMap safeAnswers READ safeAnswers NOTIFY changed)
    /// Newest first: {kind: "contact"|"event"|"feedback", at, title, detail, by, caution, source, kept}.
    /// The victim's contacts in her other case on the 124D come too, with `source` saying whose
    /// case ("From the IDVA's case"); `kept` says, for a police user, that an IDVA's notes and
    /// actions are kept by the IDVA's service (the server never sends them: sharing-police.json).
    Q_PROPERTY(QVariantList timeline READ timeline NOTIFY changed)
    /// {what, dueWords, statusWords, overdue, done}; a Victims' Code item also has `duty`
    /// ("needs_assessment", "update:<event id>", ...), `basis` (why then: "2 working days after
    /// the victim's consent") and `offer` (the log-contact form offers it as dealt with).
    Q_PROPERTY(QVariantList dueItems READ dueItems NOTIFY changed)
    /// {id, text, done, by}.
    Q_PROPERTY(QVariantList safety READ safety NOTIFY changed)
    /// Protective orders, in the order made: {id, title, statusWords, countdown, warning (ending
    /// soon, ended or a hearing due), conditions, authorisedBy, breaches: [{at, what, action}],
    /// hearingOpen (a notice whose hearing is not recorded), notificationOpen (a DAPO whose
    /// subject has not given a name and address), done: what was recorded, in words}.
    Q_PROPERTY(QVariantList orders READ orders NOTIFY changed)
    /// Re-assessments of the victim's risk, newest first: {at, by, checklist, yes, computed,
    /// judgement, reason, standing} (grades in words).
    Q_PROPERTY(QVariantList reassessments READ reassessments NOTIFY changed)
    /// The victim feedback forms, one line per kind (after charge, at conclusion): {kind, label,
    /// state ("not_due", "maybe_due", "due", "issued"), words (what calls for it, or when it
    /// went), issued, responses (the anonymous responses counted)}.
    Q_PROPERTY(QVariantList feedbackForms READ feedbackForms NOTIFY changed)
    /// The forms issued, newest first: {kind, label, at, by, method, caution}.
    Q_PROPERTY(QVariantList feedbackIssued READ feedbackIssued NOTIFY changed)
    /// Events the victim is to be told of, for "told the victim about…": {id, label}.
    Q_PROPERTY(QVariantList events READ events NOTIFY changed)
    /// What the last action did, or why it was refused, in words.
    Q_PROPERTY(QString message READ message NOTIFY busyChanged)

public:
    using Now = std::function<std::chrono::sys_seconds()>;
    CaseView(StoreWorker* worker, RecordsAccess* access, QObject* parent = nullptr);

    /// The deadlines and calendar the due items are worked out with (set by Casework).
    void setRules(std::shared_ptr<const VictimsCodeRules> rules, std::shared_ptr<const BankHolidayChoice> calendar,
                  std::shared_ptr<const OrdersRules> orders);
    void setClock(Now now) { m_now = std::move(now); }

    /// Open a caseload line's case: `kind` "idva" (`source` the referral id) or "investigation"
    /// (`source` the victim's id).
    Q_INVOKABLE void open(const QString& kind, const QString& source);
    Q_INVOKABLE void close();
    /// Would a contact by `method` now be allowed? {allowed, reason, caution}: the log-contact
    /// form shows an unsafe method disabled with the reason.
    Q_INVOKABLE QVariantMap methodCheck(const QString& method) const;
    /// Log a contact now: {method, outcome, notes, actions, nextDue (ISO or ""), duties: [...]}.
    Q_INVOKABLE void logContact(const QVariantMap& form);
    Q_INVOKABLE void setStatus(const QString& status);
    Q_INVOKABLE void setServicesConsent(bool consent);
    Q_INVOKABLE void addSafetyItem(const QString& text);
    Q_INVOKABLE void setSafetyItemDone(const QString& itemId, bool done);
    /// Record an event of the case (kind: arrest, interview, bail, ...; a charge decision as
    /// "charge_decision/charged" or "charge_decision/not_charged", as eventKinds() lists it) at
    /// `atIso` (now when "").
    Q_INVOKABLE void addEvent(const QString& kind, const QString& atIso, const QString& notes);
    /// The victim changed her answers: {phone, text, voicemail, email, visit (true/false/null), safeTimes, afraidOf}.
    Q_INVOKABLE void setSafeContact(const QVariantMap& answers);
    /// Record an order: {kind, madeAt, expiresAt, conditions, madeBy, authorisedBy} (times as
    /// "2026-12-06 14:30"; madeAt "" for now). Checked by the core first (its length, who
    /// authorised a notice).
    Q_INVOKABLE void addOrder(const QVariantMap& form);
    /// Could a feedback form go by `method` now? {allowed, reason, caution}: as methodCheck, with
    /// the core's rule for forms (a letter is not held to the safe times).
    Q_INVOKABLE QVariantMap feedbackMethodCheck(const QString& method) const;
    /// Record that a feedback form of `kind` ("after_charge", "at_conclusion") went to the victim
    /// now by `method`; refused in the core's words by a method she said is unsafe.
    Q_INVOKABLE void issueFeedbackForm(const QString& kind, const QString& method);
    /// How many anonymous responses came back for the case's forms of `kind`.
    Q_INVOKABLE void setFeedbackResponses(const QString& kind, int count);
    /// The kinds of form, as {id, label}.
    Q_INVOKABLE QVariantList feedbackFormKinds() const;
    /// Log a breach of order `orderId`: what happened and what was done, at `atIso` ("" for now).
    Q_INVOKABLE void logBreach(const QString& orderId, const QString& what, const QString& action, const QString& atIso);
    /// Record what order `orderId` asked be done, at `atIso` ("" for now): "hearing" (a DVPN or
    /// DAPN's hearing held) or "notification" (a DAPO's subject gave their name and address).
    Q_INVOKABLE void recordOrderDuty(const QString& orderId, const QString& duty, const QString& atIso);
    Q_INVOKABLE QVariantList orderKinds() const;
    /// The choices, as {id, label}.
    Q_INVOKABLE QVariantList methods() const;
    Q_INVOKABLE QVariantList outcomes() const;
    Q_INVOKABLE QVariantList statuses() const;
    Q_INVOKABLE QVariantList eventKinds() const;

    [[nodiscard]] QString caseId() const { return QString::fromStdString(m_case.id); }
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] QString victimName() const { return QString::fromStdString(m_victimName); }
    [[nodiscard]] QString reference() const;
    [[nodiscard]] QString kind() const { return QString::fromStdString(m_case.kind); }
    [[nodiscard]] QString status() const { return QString::fromStdString(std::string(toString(m_case.status))); }
    [[nodiscard]] QString statusWords() const { return QString::fromStdString(caseStatusWords(m_case.status)); }
    [[nodiscard]] QString riskWords() const { return m_riskWords; }
    [[nodiscard]] bool servicesConsent() const { return m_case.servicesConsent; }
    [[nodiscard]] bool servicesConsentRefused() const { return m_case.servicesConsentRefused; }
    [[nodiscard]] QString safeSummary() const;
    [[nodiscard]] QVariantMap safeAnswers() const;
    [[nodiscard]] QVariantList timeline() const;
    [[nodiscard]] QVariantList dueItems() const;
    [[nodiscard]] QVariantList safety() const;
    [[nodiscard]] QVariantList events() const;
    [[nodiscard]] QVariantList orders() const;
    [[nodiscard]] QVariantList reassessments() const;
    [[nodiscard]] QVariantList feedbackForms() const;
    [[nodiscard]] QVariantList feedbackIssued() const;
    [[nodiscard]] QString message() const { return m_message; }
    /// The case on screen ("" kind when none), for the forms that add to it.
    [[nodiscard]] const CaseKey& key() const { return m_key; }
    /// Run `write` on the worker, then read the case again; `done` is the message on success
    /// (`saved` is emitted then). Nothing happens while another change runs or no case is open.
    void change(std::function<Status(CaseRepository&, const Actor&)> write, QString done);

signals:
    void changed();
    void busyChanged();
    /// A change was saved (the caseload reads itself again).
    void saved();

private:
    struct Loaded {
        VictimCase c;
        CaseDue due;
        SafeContact safe;
        std::string victimName;
        std::string risk;
        std::string updatedBy, updatedAt;
        Role viewer = Role::Officer;  ///< whose device this is (what it holds of an IDVA's notes)
        QString error;
    };
    [[nodiscard]] static Loaded load(RecordStore& store, const CaseKey& key, const VictimsCodeRules* rules,
                                     const WorkingDays* calendar, std::chrono::sys_seconds now);
    void apply(Loaded loaded);

    StoreWorker* m_worker = nullptr;
    RecordsAccess* m_access = nullptr;
    std::shared_ptr<const VictimsCodeRules> m_rules;
    std::shared_ptr<const BankHolidayChoice> m_calendar;
    std::shared_ptr<const OrdersRules> m_orderRules;
    Now m_now;
    CaseKey m_key;
    VictimCase m_case;
    CaseDue m_due;
    SafeContact m_safe;
    std::string m_victimName;
    QString m_riskWords;
    std::string m_updatedBy, m_updatedAt;
    Role m_viewer = Role::Officer;
    bool m_loading = false;
    bool m_busy = false;
    QString m_message;
    quint64 m_generation = 0;
};

}  // namespace vigil::app
