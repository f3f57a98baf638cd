#pragma once

#include <memory>
#include <string>

#include <QObject>
#include <QString>
#include <QVariantList>
#include <QVariantMap>
#include <qqmlintegration.h>

#include "core/risk/OutcomeList.h"

namespace vigil::app {

class IncidentEditor;
class RecordsAccess;
class StoreWorker;

/// The crime's outcome on the 124D open on screen (issue 25, "the record first"): the result from
/// the list (core/risk-models/rules-outcomes.json), when it was decided, the court's result, an
/// arrest made later, a domestic abuse homicide, a note. Offered only to whom the authority
/// policy lets write `outcome.*` in the 124D's state (the officer in the case, an investigator,
/// a supervisor; the core decides, QML shows); checked by the core before it is saved
/// (validateOutcome) and again by the server. Says what closing still needs (validateClosure).
/// Follows the editor: read again whenever a 124D opens or changes state.
class OutcomePanel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The outcome panel belongs to Draft")

    /// The signed-in user may record the outcome of this 124D now (the authority policy).
    Q_PROPERTY(bool mayRecord READ mayRecord NOTIFY changed)
    /// The 124D is recorded as a crime (only a crime has a result; any 124D may have a later
    /// arrest or be a homicide).
    Q_PROPERTY(bool crime READ crime NOTIFY changed)
    /// [{value, label, help}] in the list's order, for the result's ComboBox.
    Q_PROPERTY(QVariantList results READ results NOTIFY changed)
    Q_PROPERTY(QVariantList courtResults READ courtResults NOTIFY changed)
    /// The outcome as stored: {result, decidedOn, courtResult, courtOn, arrestedLater,
    /// arrestedOn, daHomicide, note}; codes and ISO dates.
    Q_PROPERTY(QVariantMap stored READ stored NOTIFY changed)
    /// "Recorded by dc.n, 07/12/2026 10:00", or "" when nothing is recorded.
    Q_PROPERTY(QString recordedWords READ recordedWords NOTIFY changed)
    /// The outcome in words for anyone who may see the 124D ("Cautioned, decided 2026-11-30"), or "".
    Q_PROPERTY(QString summary READ summary NOTIFY changed)
    /// What closing still needs, in words ("Record the crime's outcome before closing..."), or "".
    Q_PROPERTY(QString closeBlocker READ closeBlocker NOTIFY changed)
    Q_PROPERTY(bool saving READ saving NOTIFY savingChanged)
    /// The outcome of the last save, in words.
    Q_PROPERTY(QString message READ message NOTIFY savingChanged)
    /// Field path ("outcome.decided_on") -> what is wrong with it, from the last save.
    Q_PROPERTY(QVariantMap fieldErrors READ fieldErrors NOTIFY savingChanged)
    /// The longest note kept.
    Q_PROPERTY(int noteMaxLength READ noteMaxLength CONSTANT)

public:
    OutcomePanel(StoreWorker& worker, RecordsAccess& access, IncidentEditor& editor, QObject* parent = nullptr);

    /// Read the open 124D's outcome again.
    Q_INVOKABLE void refresh();
    /// Record the outcome: `form` holds the keys of `stored`. Checked by the core first; refused
    /// in words per field (fieldErrors) and nothing is written then.
    Q_INVOKABLE void record(const QVariantMap& form);
    /// Forget what the last save said of a field once it is changed ("outcome.decided_on").
    Q_INVOKABLE void clearError(const QString& field);

    [[nodiscard]] bool mayRecord() const { return m_mayRecord; }
    [[nodiscard]] bool crime() const { return m_crime; }
    [[nodiscard]] QVariantList results() const { return m_results; }
    [[nodiscard]] QVariantList courtResults() const { return m_courtResults; }
    [[nodiscard]] QVariantMap stored() const { return m_stored; }
    [[nodiscard]] QString recordedWords() const { return m_recordedWords; }
    [[nodiscard]] QString summary() const { return m_summary; }
    [[nodiscard]] QString closeBlocker() const { return m_closeBlocker; }
    [[nodiscard]] bool saving() const { return m_saving; }
    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] QVariantMap fieldErrors() const { return m_fieldErrors; }
    [[nodiscard]] static int noteMaxLength();

signals:
    void changed();
    /// The stored outcome differs from the one last shown (another 124D, or a save): the form
    /// starts again from it. Not on every read, so what is being typed is never lost.
    void storedChanged();
    void savingChanged();
    /// An outcome was recorded (the desk's figures read again).
    void recorded();

private:
    struct Read;
    void apply(const Read& read);

    StoreWorker& m_worker;
    RecordsAccess& m_access;
    IncidentEditor& m_editor;
    std::shared_ptr<const OutcomeList> m_list;
    quint64 m_generation = 0;
    std::string m_incidentId;
    bool m_mayRecord = false;
    bool m_crime = false;
    bool m_saving = false;
    QVariantList m_results, m_courtResults;
    QVariantMap m_stored, m_fieldErrors;
    QString m_recordedWords, m_summary, m_closeBlocker, m_message;
};

}  // namespace vigil::app
