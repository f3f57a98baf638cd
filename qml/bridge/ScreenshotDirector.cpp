#include "ScreenshotDirector.h"

#include <algorithm>
#include <csignal>
#include <cstdio>

#include <QCoreApplication>
#include <QCursor>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>

#include "AppController.h"
#include "DraftController.h"
#include "HomeListController.h"
#include "SyncStatusBridge.h"
#include "IncidentEditor.h"
#include "IncidentListModel.h"

namespace vigil::app {

namespace {
constexpr int kSettleMs = 700;  // let animations and the list finish before grabbing
}

ScreenshotDirector::ScreenshotDirector(AppController& controller, QQmlApplicationEngine& engine, QString dir, QString pin)
    : m_controller(controller), m_engine(engine), m_dir(std::move(dir)), m_pin(std::move(pin))
{
    using S = AppController::Stage;
    AppController* c = &m_controller;
    IncidentEditor* e = c->draft()->editor();
    const auto syncSettled = [c] {
        return c->syncStatus()->state() == QLatin1String("idle") || c->syncStatus()->state() == QLatin1String("failed")
               || c->syncStatus()->state() == QLatin1String("offline");
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
         [c, syncSettled] { return c->stage() == S::Home && c->home()->incidents()->rowCount() > 0 && syncSettled(); },
         [this] { grab("04-home-synced"); }, 120000},
        {"go offline", [] { return true; }, [c] { c->syncStatus()->setOnline(false); }},
        {"offline", [c] { return c->syncStatus()->state() == QLatin1String("offline"); }, [c] { c->draft()->createNew(); }},
        {"a draft typed offline",
         [c] { return !c->draft()->incidentId().isEmpty() && c->draft()->state() == QLatin1String("draft"); },
         [c] {
             c->draft()->setField(QStringLiteral("location"), QStringLiteral("Flat 3, 12 Example Road"));
             c->draft()->setField(QStringLiteral("cad"), QStringLiteral("CAD 4821/23NOV"));
         }},
        {"draft saved", [c] { return c->draft()->saveState() == QLatin1String("saved"); }, [this] { grab("10-draft"); }},
        // The wizard, still offline: a victim (an invented name), the DASH questions.
        {"add a victim", [] { return true; }, [e] {
             e->addVictim();
             e->setText(QStringLiteral("victims[0].person.name"), QStringLiteral("Sam Example"));
         }},
        {"first answers", [e] { return e->victimCount() == 1 && e->questions()->count() > 0; }, [this, e] {
             showSection(IncidentEditor::DashSection);
             for (const char* qid : {"q1", "q2", "q3"})
                 e->setAnswer(0, QLatin1String(qid), QStringLiteral("yes"));
             e->setAnswer(0, QStringLiteral("q4"), QStringLiteral("no"));
             e->setAnswerText(0, QStringLiteral("q1"), QStringLiteral("note"),
                              QStringLiteral("Bruising to the left forearm; says he grabbed her as she tried to leave."));
             if (auto* dash = item(QStringLiteral("dashSection")))
                 dash->setProperty("step", 0);  // question 1, answered Yes, with its note
         }},
        {"a DASH question", [e] { return e->saveState() == QLatin1String("saved") && e->questions()->answeredCount() == 4; },
         [this] { grab("11-dash-question"); }},
        // The flags as the officer sees them: restricting the record is a supervisor's decision.
        {"the flags", [] { return true; }, [this] {
             showSection(IncidentEditor::IncidentSection);
             scrollTo(QStringLiteral("restrictionNote"));
         }},
        {"grab the flags", [] { return true; }, [this] { grab("17-restriction-officer"); }},
        {"answers to high risk", [] { return true; }, [this, e] {
             // 15 Yes of 27: visible high risk (14 or more), a MARAC criterion.
             for (int i = 5; i <= 27; ++i)
                 e->setAnswer(0, QStringLiteral("q%1").arg(i), i <= 16 ? QStringLiteral("yes") : QStringLiteral("no"));
             if (auto* dash = item(QStringLiteral("dashSection")))
                 dash->setProperty("step", e->questions()->indexOf(QStringLiteral("q24")));
         }},
        {"the risk panel at high risk",
         [e] { return e->saveState() == QLatin1String("saved") && e->risk().value(QStringLiteral("computed")) == QLatin1String("high"); },
         [this] { grab("12-risk-high"); }},
        {"submit with problems", [] { return true; }, [this, e] {
             showSection(IncidentEditor::ReviewSection);
             e->submit();
         }},
        {"the problems listed", [e] { return !e->submitting() && e->problems()->count() > 0; },
         [this] { grab("13-validation-list"); }},
        {"a synthetic photo", [] { return true; }, [this, e] {
             showSection(IncidentEditor::EvidenceSection);
             e->setChoice(QStringLiteral("evidence.photos_scene"), true);
             e->addPhoto(QUrl::fromLocalFile(syntheticPhoto()),
                         QStringLiteral("Hallway door, split panel (synthetic test image)"));
         }},
        {"the photo listed", [e] { return e->attachments()->count() > 0; }, [this] { scrollTo(QStringLiteral("photoCaptionField")); }},
        {"the evidence step", [] { return true; }, [this] { grab("14-evidence-photo"); }},
        // Sharing without consent: the law typed, why it applies not yet, so no referral can be made.
        {"a lawful basis without why", [] { return true; }, [this, e] {
             showSection(IncidentEditor::VictimsSection);
             e->setChoice(QStringLiteral("victims[0].consent.share_with_partners"), false);
             e->setText(QStringLiteral("victims[0].consent.lawful_basis"),
                        QStringLiteral("Crime and Disorder Act 1998 s.115"));
         }},
        {"the consent part shown", [e] { return e->saveState() == QLatin1String("saved"); }, [this] {
             scrollTo(QStringLiteral("consentHeading"));
         }},
        {"grab the consent part", [] { return true; }, [this] { grab("18-consent-lawful-basis"); }},
        {"a referral", [] { return true; }, [this, e] {
             showSection(IncidentEditor::MaracSection);
             e->setChoice(QStringLiteral("victims[0].marac.decision"), QStringLiteral("refer"));
             // A referral discloses: the victim's consent to share is recorded first.
             e->setChoice(QStringLiteral("victims[0].consent.share_with_partners"), true);
             e->addReferral(0, QStringLiteral("idva"));
         }},
        {"the referral typed", [e] { return e->referralCount() == 1; }, [e] {
             e->setText(QStringLiteral("referrals[0].notes"),
                        QStringLiteral("Consent given. Duty IDVA told by phone; she prefers contact in the mornings."));
         }},
        {"the referral shown", [e] { return e->saveState() == QLatin1String("saved"); }, [this] {
             scrollTo(QStringLiteral("referral_0"));
         }},
        {"grab referrals", [] { return true; }, [this] { grab("15-referrals"); }},
        {"back home, changes waiting", [] { return true; }, [c] { c->draft()->close(); }},
        {"offline with changes waiting", [c] { return c->draft()->incidentId().isEmpty() && c->syncStatus()->queued() > 0; },
         [this] { grab("05-sync-offline-waiting"); }},
        {"back online", [] { return true; }, [c] { c->syncStatus()->setOnline(true); }},
        {"synced", [c] { return c->syncStatus()->state() == QLatin1String("idle") && c->syncStatus()->queued() == 0; },
         [this] { grab("06-sync-synced"); }, 60000},
        // A 124D the demo supervisor returned (scripts/demo.sh), opened with its QA notes.
        {"open the returned 124D", [this, c] {
             const auto* list = c->home()->incidents();
             for (int row = 0; row < list->rowCount(); ++row) {
                 const QModelIndex i = list->index(row, 0);
                 if (i.data(IncidentListModel::StateRole).toString() == QLatin1String("returned")) {
                     m_returnedId = i.data(IncidentListModel::IdRole).toString();
                     return true;
                 }
             }
             return false;
         }, [this, c] { c->draft()->open(m_returnedId); }},
        {"its notes beside the fields",
         [e] { return e->state() == QLatin1String("returned") && !e->loading() && !e->reviewNote().isEmpty(); },
         [this] { scrollTo(QStringLiteral("crimintBlock")); }},
        {"grab returned", [] { return true; }, [this] { grab("16-returned-notes"); }},
        {"close the returned 124D", [] { return true; }, [c] { c->draft()->close(); }},
        {"server stops", [] { return true; }, [c] {
             // The run script passes the demo server's pid: stopping it is what "the station
             // cannot be reached" looks like.
             const qint64 pid = qEnvironmentVariableIntValue("VIGIL_SCREENSHOT_SERVER_PID");
             if (pid > 0)
                 ::kill(static_cast<pid_t>(pid), SIGTERM);
             c->syncStatus()->syncNow();
         }},
        {"sync error in words", [c] { return c->syncStatus()->state() == QLatin1String("failed"); },
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
    // The pointer off the window: a hover highlight or tooltip is not what a tablet shows.
    QCursor::setPos(QPoint(5000, 5000));
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

namespace {
/// Items made by a Repeater are not QObject children of the window: walk the visual tree.
QQuickItem* findItem(QQuickItem* under, const QString& objectName)
{
    if (!under)
        return nullptr;
    if (under->objectName() == objectName)
        return under;
    for (QQuickItem* child : under->childItems()) {
        if (QQuickItem* found = findItem(child, objectName))
            return found;
    }
    return nullptr;
}
}  // namespace

QQuickItem* ScreenshotDirector::item(const QString& objectName) const
{
    if (auto* found = window()->findChild<QQuickItem*>(objectName))
        return found;
    return findItem(window()->contentItem(), objectName);
}

void ScreenshotDirector::showSection(int section)
{
    if (auto* wizard = item(QStringLiteral("wizard")))
        wizard->setProperty("currentSection", section);
}

void ScreenshotDirector::scrollTo(const QString& objectName)
{
    QQuickItem* target = item(objectName);
    if (!target)
        return;
    // The section is a ScrollView: its Flickable's content holds the fields.
    for (QQuickItem* up = target->parentItem(); up; up = up->parentItem()) {
        if (up->inherits("QQuickFlickable")) {
            const qreal y = target->mapToItem(up->property("contentItem").value<QQuickItem*>(), QPointF(0, 0)).y();
            const qreal most = std::max(0.0, up->property("contentHeight").toReal() - up->height());
            up->setProperty("contentY", std::clamp(y - 16.0, 0.0, most));
            return;
        }
    }
}

QString ScreenshotDirector::syntheticPhoto()
{
    // Drawn, not photographed: a door with a split panel and the words that say so.
    QImage image(960, 720, QImage::Format_RGB32);
    image.fill(QColor(0xd8, 0xd2, 0xc4));
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRect(300, 60, 360, 660), QColor(0x8a, 0x5a, 0x2b));
    p.setPen(QPen(QColor(0x5c, 0x3a, 0x1a), 6));
    p.drawRect(QRect(340, 110, 280, 240));
    p.drawRect(QRect(340, 400, 280, 260));
    p.setPen(QPen(QColor(0x20, 0x14, 0x08), 5));
    p.drawPolyline(QPolygon({QPoint(380, 130), QPoint(430, 200), QPoint(410, 250), QPoint(470, 330)}));
    p.setBrush(QColor(0xc0, 0xa0, 0x40));
    p.drawEllipse(QPoint(610, 400), 18, 18);
    p.setPen(Qt::black);
    QFont font = p.font();
    font.setPixelSize(40);
    font.setBold(true);
    p.setFont(font);
    p.drawText(QRect(0, 0, 960, 56), Qt::AlignCenter, QStringLiteral("SYNTHETIC TEST IMAGE"));
    p.end();
    const QString path = m_photoDir.filePath(QStringLiteral("synthetic-door.png"));
    if (!image.save(path))
        finish(1, QStringLiteral("could not write the synthetic photo %1").arg(path));
    return path;
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
