#pragma once

#include <functional>
#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <QTimer>

class QQmlApplicationEngine;
class QQuickItem;
class QQuickWindow;

namespace vigil::app {

class AppController;

/// `vigil --screenshots DIR`: walks the real app through its screens against a real demo
/// server (enrol, set PIN, home, the 124D wizard — a DASH question, the risk panel at high
/// risk, the problems after a refused submit, evidence with a synthetic photo, referrals, a
/// returned 124D with its QA notes —, sync states, lock, wrong PIN, lockout) and saves each at
/// the window's size into DIR, for people to look at. Run under Xvfb at 1280x800
/// (scripts/screenshots.sh does the set-up). Steps wait for the app's own state; nothing
/// on screen is faked.
class ScreenshotDirector final : public QObject {
    Q_OBJECT
public:
    ScreenshotDirector(AppController& controller, QQmlApplicationEngine& engine, QString dir, QString pin);

    void begin();
    [[nodiscard]] int exitCode() const { return m_exitCode; }

private:
    struct Step {
        QString what;
        std::function<bool()> ready;  ///< wait until true
        std::function<void()> act;    ///< then do this (after the screen settles)
        int timeoutMs = 30000;
    };

    void tick();
    void grab(const QString& name);
    void setField(const char* objectName, const QString& text);
    [[nodiscard]] QQuickItem* item(const QString& objectName) const;
    /// The wizard on screen shows this section (IncidentEditor::Section).
    void showSection(int section);
    /// Scroll the wizard's section on screen so the item named `objectName` is near the top.
    void scrollTo(const QString& objectName);
    /// A synthetic photo (drawn shapes and the words "synthetic test image", no person) in a
    /// temporary folder, for the evidence step.
    [[nodiscard]] QString syntheticPhoto();
    [[nodiscard]] QQuickWindow* window() const;
    void finish(int code, const QString& why);

    AppController& m_controller;
    QQmlApplicationEngine& m_engine;
    QString m_dir;
    QString m_pin;
    std::vector<Step> m_steps;
    std::size_t m_next = 0;
    QTimer m_timer;
    QElapsedTimer m_waiting;
    qint64 m_readySince = -1;
    int m_exitCode = 0;
    QTemporaryDir m_photoDir;
    QString m_returnedId;
};

}  // namespace vigil::app
