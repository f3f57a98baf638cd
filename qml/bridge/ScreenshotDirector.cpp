#include "ScreenshotDirector.h"

#include <csignal>
#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>

#include "AppController.h"

namespace vigil::app {

namespace {
constexpr int kSettleMs = 700;  // let animations and the list finish before grabbing
}

ScreenshotDirector::ScreenshotDirector(AppController& controller, QQmlApplicationEngine& engine, QString dir, QString pin)
    : m_controller(controller), m_engine(engine), m_dir(std::move(dir)), m_pin(std::move(pin))
{
    using S = AppController::Stage;
    AppController* c = &m_controller;
    const auto syncSettled = [c] {
        return c->syncState() == QLatin1String("idle") || c->syncState() == QLatin1String("failed")
               || c->syncState() == QLatin1String("offline");
    };
    m_steps = {
        {"enrol screen", [c] { return c->stage() == S::Enrol; }, [this] { grab("01-enrol"); }},
        {"enrol", [] { return true; }, [c] { c->enrol(c->prefillCode(), QStringLiteral("Demo tablet")); }},
        {"set-PIN screen with a refused PIN",
         [c] { return c->stage() == S::SetPin; },
         [this] {
             setField("newPinField", QStringLiteral("123456"));
             setField("confirmPinField", QStringLiteral("123456"));
         }},
        {"refused PIN shown", [] { return true; }, [this, c] {
             c->setPin(QStringLiteral("123456"), QStringLiteral("123456"));
         }},
        {"grab refused PIN", [c] { return !c->message().isEmpty(); }, [this] { grab("02-set-pin-refused"); }},
        {"set the PIN", [] { return true; }, [this, c] { c->setPin(m_pin, m_pin); }},
        {"home with demo data after the first sync",
         [c, syncSettled] { return c->stage() == S::Home && c->incidents()->rowCount() > 0 && syncSettled(); },
         [this] { grab("04-home-synced"); }, 120000},
        {"go offline", [] { return true; }, [c] { c->setOnline(false); }},
        {"offline", [c] { return c->syncState() == QLatin1String("offline"); }, [c] { c->newDraft(); }},
        {"a draft typed offline",
         [c] { return !c->draftId().isEmpty() && c->draftState() == QLatin1String("draft"); },
         [c] {
             c->setDraftField(QStringLiteral("location"), QStringLiteral("Flat 3, 12 Example Road"));
             c->setDraftField(QStringLiteral("cad"), QStringLiteral("CAD 4821/23NOV"));
         }},
        {"draft saved", [c] { return c->draftSaveState() == QLatin1String("saved"); }, [this] { grab("10-draft"); }},
        {"back home, changes waiting", [] { return true; }, [c] { c->closeDraft(); }},
        {"offline with changes waiting", [c] { return c->draftId().isEmpty() && c->syncQueued() > 0; },
         [this] { grab("05-sync-offline-waiting"); }},
        {"back online", [] { return true; }, [c] { c->setOnline(true); }},
        {"synced", [c] { return c->syncState() == QLatin1String("idle") && c->syncQueued() == 0; },
         [this] { grab("06-sync-synced"); }, 60000},
        {"server stops", [] { return true; }, [c] {
             // The run script passes the demo server's pid: stopping it is what "the station
             // cannot be reached" looks like.
             const qint64 pid = qEnvironmentVariableIntValue("VIGIL_SCREENSHOT_SERVER_PID");
             if (pid > 0)
                 ::kill(static_cast<pid_t>(pid), SIGTERM);
             c->syncNow();
         }},
        {"sync error in words", [c] { return c->syncState() == QLatin1String("failed"); },
         [this] {
             if (auto* indicator = window()->findChild<QQuickItem*>(QStringLiteral("syncIndicator")))
                 QMetaObject::invokeMethod(indicator, "clicked");
         }, 60000},
        {"grab error", [] { return true; }, [this] { grab("07-sync-error"); }},
        {"lock", [] { return true; }, [c] { c->lock(); }},
        {"unlock screen", [c] { return c->stage() == S::Unlock; }, [this] { grab("03-unlock"); }},
        {"wrong PIN", [] { return true; }, [c] { c->unlock(QStringLiteral("000000")); }},
        {"wrong PIN shown", [c] { return !c->busy() && c->failedAttempts() == 1; }, [this] { grab("08-wrong-pin"); }},
    };
    for (int i = 2; i <= 5; ++i) {
        m_steps.push_back({"another wrong PIN", [c, i] { return !c->busy() && c->failedAttempts() == i - 1; },
                           [c] { c->unlock(QStringLiteral("000000")); }});
    }
    m_steps.push_back({"locked out", [c] { return !c->busy() && c->lockoutSeconds() > 0; }, [this] {
                           grab("09-lockout");
                           finish(0, {});
                       }});
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &ScreenshotDirector::tick);
}

void ScreenshotDirector::begin()
{
    QDir().mkpath(m_dir);
    m_waiting.start();
    m_timer.start();
}

void ScreenshotDirector::tick()
{
    if (m_next >= m_steps.size())
        return;
    Step& step = m_steps[m_next];
    if (!step.ready()) {
        m_readySince = -1;
        if (m_waiting.elapsed() > step.timeoutMs)
            finish(1, QStringLiteral("timed out waiting for: %1 (message: %2)").arg(step.what, m_controller.message()));
        return;
    }
    if (m_readySince < 0) {
        m_readySince = m_waiting.elapsed();
        return;
    }
    if (m_waiting.elapsed() - m_readySince < kSettleMs)
        return;
    ++m_next;
    m_readySince = -1;
    step.act();
    m_waiting.restart();
}

QQuickWindow* ScreenshotDirector::window() const
{
    return qobject_cast<QQuickWindow*>(m_engine.rootObjects().value(0));
}

void ScreenshotDirector::grab(const QString& name)
{
    const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
    if (!window()->grabWindow().save(path))
        finish(1, QStringLiteral("could not write %1").arg(path));
    else
        std::fprintf(stderr, "vigil: saved %s\n", qPrintable(path));
}

void ScreenshotDirector::setField(const char* objectName, const QString& text)
{
    if (auto* item = window()->findChild<QQuickItem*>(QString::fromLatin1(objectName)))
        item->setProperty("text", text);
}

void ScreenshotDirector::finish(int code, const QString& why)
{
    m_timer.stop();
    m_exitCode = code;
    if (!why.isEmpty())
        std::fprintf(stderr, "vigil --screenshots: %s\n", qPrintable(why));
    QCoreApplication::exit(code);
}

}  // namespace vigil::app
