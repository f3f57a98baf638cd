#pragma once

#include <functional>
#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

class QQmlApplicationEngine;
class QQuickItem;
class QQuickWindow;

namespace vigil::app {

class AppController;

/// `vigil --script FILE` (tests only): drives the real app from a script of steps so a test
/// can SIGKILL the real process mid-wizard (tests/app/WizardProcessTest.cpp). The PIN is
/// read from the first line of standard input, never from the script, and goes through the
/// normal unlock (the KDF, the failure counter, the lockout): the script can do nothing an
/// officer at the screen could not. After each action it prints a running count on standard
/// output, one number per line, so the test knows what was done before it killed the app.
///
/// One step per line (# starts a comment):
///   enrol | set-pin | unlock          the first-run screens and the unlock screen
///   offline | online                  the sync engine's connectivity input
///   new-draft | open ID | close-draft
///   section N                         show wizard section N (IncidentEditor::Section)
///   add-victim
///   answer VICTIM QUESTION VALUE      a tap on a DASH answer (yes|no|dont_know|not_asked)
///   choice PATH VALUE                 a tap on a choice (true|false|text)
///   text PATH TEXT                    a whole field set at once (a paste)
///   type INPUT INTERVAL_MS TEXT       key presses into the on-screen field named INPUT,
///                                     one character every INTERVAL_MS (each one counts)
///   sleep MS | wait-saved | submit | sync-now
///   wait-synced                       until the open 124D's row on the home list shows it
///                                     submitted with nothing unsent and the sync is idle
///   wait-idle                         until nothing waits to be sent and the sync is idle
///   save-stats                        print tap → saved percentiles (the editor's own
///                                     figures) on standard error
///   quit
class ScriptDriver final : public QObject {
    Q_OBJECT
public:
    ScriptDriver(AppController& controller, QQmlApplicationEngine& engine, QString pin);

    /// Read and check the script; false with the reason in `error`.
    bool load(const QString& file, QString* error);
    void begin();
    [[nodiscard]] int exitCode() const { return m_exitCode; }

private:
    struct Step {
        QString what;
        std::function<bool()> ready;  ///< wait until true (then act)
        std::function<void()> act;
        bool counts = false;          ///< print the running count after acting
        int delayMs = 0;              ///< at least this long after the previous step
        int timeoutMs = 30000;
    };

    bool parse(const QString& line, int lineNo, QString* error);
    void addWait(const QString& what, std::function<bool()> ready, int timeoutMs = 30000);
    void tick();
    void fail(const QString& why);
    [[nodiscard]] QQuickWindow* window() const;
    [[nodiscard]] QQuickItem* item(const QString& objectName) const;

    AppController& m_controller;
    QQmlApplicationEngine& m_engine;
    QString m_pin;
    QString m_incidentId;  ///< the 124D the script opened last
    std::vector<Step> m_steps;
    std::size_t m_next = 0;
    long long m_count = 0;
    std::vector<double> m_tapSaves;  ///< ms from each tap to its save (IncidentEditor::saved)
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    QElapsedTimer m_waiting;
    int m_exitCode = 0;
};

}  // namespace vigil::app
