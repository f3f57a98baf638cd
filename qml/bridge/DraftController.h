#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <qqmlintegration.h>

#include "IncidentEditor.h"
#include "OutcomePanel.h"
#include "SupervisionPanel.h"

class QQmlEngine;
class QJSEngine;

namespace vigil::app {

class RecordsAccess;
class StoreWorker;
struct WorkerState;

/// The 124D open on screen (QML singleton `Draft`): which one, its headline fields, its save
/// state, and the editor that holds the rest. It survives a lock: the same 124D reopens after
/// unlock, and nothing of it stays in memory while locked.
class DraftController : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Draft)
    QML_SINGLETON

    /// The 124D open on screen ("" when none).
    Q_PROPERTY(QString incidentId READ incidentId NOTIFY changed)
    Q_PROPERTY(QString state READ state NOTIFY changed)
    Q_PROPERTY(bool editable READ editable NOTIFY changed)
    Q_PROPERTY(QString date READ date NOTIFY changed)
    Q_PROPERTY(QString location READ location NOTIFY changed)
    Q_PROPERTY(QString cad READ cad NOTIFY changed)
    Q_PROPERTY(QString reviewNote READ reviewNote NOTIFY changed)
    /// saved | saving | failed
    Q_PROPERTY(QString saveState READ saveState NOTIFY saveStateChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    /// The open 124D in the wizard: sections, answers, live risk, submit, photos.
    Q_PROPERTY(IncidentEditor* editor READ editor CONSTANT)
    /// The open 124D's supervision log and review cadence.
    Q_PROPERTY(SupervisionPanel* supervision READ supervision CONSTANT)
    /// The open 124D's crime outcome (issue 25).
    Q_PROPERTY(OutcomePanel* outcome READ outcome CONSTANT)

public:
    DraftController(StoreWorker& worker, WorkerState& state, RecordsAccess& access, QObject* parent = nullptr);

    /// QML's singleton: the session's (AppController's) instance.
    static DraftController* create(QQmlEngine* qml, QJSEngine* js);

    /// Start a new 124D owned by the signed-in user, and open it.
    Q_INVOKABLE void createNew();
    Q_INVOKABLE void open(const QString& id);
    Q_INVOKABLE void close();
    /// Typed text: kept at once, saved within a second of the last keystroke.
    Q_INVOKABLE void setField(const QString& field, const QString& value);

    /// Save what was typed now (before a lock, a switch or a quit).
    void flush();
    /// The session unlocked: reopen the 124D that was open when it locked.
    void reopen();
    /// The session locked (`keepId`: reopen after unlock) or was wiped (forget it).
    void forget(bool keepId);
    /// The device is about to be wiped: nothing typed is written any more.
    void dropUnsaved();

    [[nodiscard]] QString incidentId() const { return m_id; }
    [[nodiscard]] QString state() const { return m_state; }
    [[nodiscard]] bool editable() const;
    [[nodiscard]] QString date() const { return m_date; }
    [[nodiscard]] QString location() const { return m_location; }
    [[nodiscard]] QString cad() const { return m_cad; }
    [[nodiscard]] QString reviewNote() const { return m_reviewNote; }
    [[nodiscard]] QString saveState() const { return m_saveState; }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] IncidentEditor* editor() { return m_editor; }
    [[nodiscard]] SupervisionPanel* supervision() { return m_supervision; }
    [[nodiscard]] OutcomePanel* outcome() { return m_outcome; }

signals:
    void changed();
    void saveStateChanged();
    void busyChanged();
    /// Something the list shows changed (a 124D made or closed).
    void listChanged();
    /// A read or save failed: the error in words for the screen.
    void failed(const QString& message);

private:
    struct Fields;
    void load(const QString& id);
    void setSaveState(const QString& state);
    void setBusy(bool busy);

    StoreWorker& m_worker;
    WorkerState& m_workerState;
    IncidentEditor* m_editor = nullptr;  ///< child of this
    SupervisionPanel* m_supervision = nullptr;  ///< child of this
    OutcomePanel* m_outcome = nullptr;          ///< child of this
    QString m_id, m_state, m_date, m_location, m_cad, m_reviewNote;
    QString m_saveState = QStringLiteral("saved");
    bool m_dirty = false;
    bool m_busy = false;
    bool m_open = false;  ///< the session is unlocked
    QTimer m_debounce;
};

}  // namespace vigil::app
