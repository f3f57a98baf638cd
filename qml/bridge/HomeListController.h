#pragma once

#include <QObject>
#include <QString>
#include <qqmlintegration.h>

#include "IncidentListModel.h"

class QQmlEngine;
class QJSEngine;

namespace vigil::app {

class StoreWorker;
struct WorkerState;

/// The officer's list of 124Ds on this device (QML singleton `Home`): read on the store
/// worker after unlock, after a sync and after every change the app makes; emptied on lock.
class HomeListController : public QObject {
    Q_OBJECT
    QML_NAMED_ELEMENT(Home)
    QML_SINGLETON

    Q_PROPERTY(IncidentListModel* incidents READ incidents CONSTANT)

public:
    HomeListController(StoreWorker& worker, WorkerState& state, QObject* parent = nullptr);

    /// QML's singleton: the session's (AppController's) instance.
    static HomeListController* create(QQmlEngine* qml, QJSEngine* js);

    /// Read the list again from the store (and recount the unsent 124Ds).
    Q_INVOKABLE void refresh();
    /// Add synthetic incidents (invented people) to the unlocked store: demos and the
    /// start-up measurement (`vigil --seed-demo N`). Emits demoSeeded.
    void seedDemo(int incidents);

    /// The session is unlocked (results are shown) or not (the list is emptied and late
    /// results dropped: nothing personal stays on screen once locked).
    void setOpen(bool open);
    /// Show rows read elsewhere (the unlock reads the list before the engine starts).
    void show(HomeList list);

    [[nodiscard]] IncidentListModel* incidents() { return &m_incidents; }

signals:
    /// The list was read again (tests wait for it; the desk reads its queue after it).
    void refreshed();
    /// The store's count of 124Ds the station has not received.
    void unsentCounted(int count);
    /// seedDemo finished: what it made, or why it failed.
    void demoSeeded(const QString& result);

private:
    StoreWorker& m_worker;
    WorkerState& m_state;
    bool m_open = false;
    IncidentListModel m_incidents;
};

}  // namespace vigil::app
