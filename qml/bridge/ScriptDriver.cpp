#include "ScriptDriver.h"

#include <algorithm>
#include <cstdio>

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QKeyEvent>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>

#include "AppController.h"
#include "DraftController.h"
#include "HomeListController.h"
#include "SyncStatusBridge.h"
#include "IncidentEditor.h"
#include "IncidentListModel.h"

namespace vigil::app {

namespace {

/// The key a character is typed with (the text carries the character itself).
int keyFor(QChar c)
{
    if (c.isLetter() && c.unicode() < 128)
        return Qt::Key_A + (c.toUpper().unicode() - 'A');
    if (c.isDigit())
        return Qt::Key_0 + (c.unicode() - '0');
    if (c == QLatin1Char(' '))
        return Qt::Key_Space;
    return Qt::Key_unknown;
}

QVariant choiceValue(const QString& text)
{
    if (text == QLatin1String("true"))
        return true;
    if (text == QLatin1String("false"))
        return false;
    if (text == QLatin1String("null"))
        return {};
    return text;
}

}  // namespace

ScriptDriver::ScriptDriver(AppController& controller, QQmlApplicationEngine& engine, QString pin)
    : m_controller(controller), m_engine(engine), m_pin(std::move(pin))
{
    connect(m_controller.draft()->editor(), &IncidentEditor::saved, this, [this](double ms, bool tap) {
        if (tap)
            m_tapSaves.push_back(ms);
    });
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(5);
    connect(&m_timer, &QTimer::timeout, this, &ScriptDriver::tick);
}

bool ScriptDriver::load(const QString& file, QString* error)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read the script %1: %2").arg(file, in.errorString());
        return false;
    }
    int lineNo = 0;
    while (!in.atEnd()) {
        const QString line = QString::fromUtf8(in.readLine()).trimmed();
        ++lineNo;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (!parse(line, lineNo, error))
            return false;
    }
    return true;
}

void ScriptDriver::addWait(const QString& what, std::function<bool()> ready, int timeoutMs)
{
    m_steps.push_back({what, std::move(ready), [] {}, false, 0, timeoutMs});
}

bool ScriptDriver::parse(const QString& line, int lineNo, QString* error)
{
    using S = AppController::Stage;
    AppController* c = &m_controller;
    IncidentEditor* e = m_controller.draft()->editor();
    const QStringList words = line.split(QRegularExpression(QStringLiteral("\\s+")));
    const QString& verb = words.front();
    // The rest of the line from word `from`, as written (typed text keeps its spaces).
    const auto rest = [&](int from) {
        const auto m = QRegularExpression(QStringLiteral("^(?:\\S+\\s){%1}(.*)$").arg(from)).match(line);
        return m.hasMatch() ? m.captured(1) : words.mid(from).join(QLatin1Char(' '));
    };
    const auto need = [&](int n) {
        if (words.size() >= n + 1)
            return true;
        *error = QStringLiteral("script line %1: '%2' needs %3 argument(s)").arg(lineNo).arg(verb).arg(n);
        return false;
    };
    const auto idle = [c](S stage) { return [c, stage] { return c->stage() == stage && !c->busy(); }; };
    const auto editorOpen = [this, e] {
        return !e->incidentId().isEmpty() && !e->loading() && e->incidentId() == m_controller.draft()->incidentId();
    };

    if (verb == QLatin1String("enrol")) {
        m_steps.push_back({verb, idle(S::Enrol), [c] { c->enrol(c->prefillCode(), QStringLiteral("Test tablet")); },
                           true});
        addWait(QStringLiteral("the set-PIN screen after enrolling"), idle(S::SetPin), 60000);
    } else if (verb == QLatin1String("set-pin")) {
        m_steps.push_back({verb, idle(S::SetPin), [this, c] { c->setPin(m_pin, m_pin); }, true});
        addWait(QStringLiteral("home after setting the PIN"), idle(S::Home), 60000);
    } else if (verb == QLatin1String("unlock")) {
        m_steps.push_back({verb, idle(S::Unlock), [this, c] { c->unlock(m_pin); }, true});
        addWait(QStringLiteral("home after unlocking"), idle(S::Home), 60000);
    } else if (verb == QLatin1String("offline") || verb == QLatin1String("online")) {
        const bool online = verb == QLatin1String("online");
        m_steps.push_back({verb, [] { return true; }, [c, online] { c->syncStatus()->setOnline(online); }, true});
    } else if (verb == QLatin1String("new-draft")) {
        m_steps.push_back({verb, idle(S::Home), [c] { c->draft()->createNew(); }});
        addWait(QStringLiteral("the new 124D open in the wizard"), editorOpen);
        m_steps.push_back({QStringLiteral("opened"), [] { return true; }, [this, e] { m_incidentId = e->incidentId(); },
                           true});
    } else if (verb == QLatin1String("open")) {
        if (!need(1))
            return false;
        const QString id = words[1];
        m_steps.push_back({verb, idle(S::Home), [this, c, id] {
                               m_incidentId = id;
                               c->draft()->open(id);
                           }});
        addWait(QStringLiteral("124D %1 open in the wizard").arg(id),
                [editorOpen, e, id] { return editorOpen() && e->incidentId() == id; });
        m_steps.push_back({QStringLiteral("opened"), [] { return true; }, [] {}, true});
    } else if (verb == QLatin1String("close-draft")) {
        m_steps.push_back({verb, [] { return true; }, [c] { c->draft()->close(); }, true});
        addWait(QStringLiteral("home"), [c] { return c->draft()->incidentId().isEmpty(); });
    } else if (verb == QLatin1String("section")) {
        if (!need(1))
            return false;
        const int section = words[1].toInt();
        m_steps.push_back({verb, [this] { return item(QStringLiteral("wizard")) != nullptr; }, [this, section] {
                               item(QStringLiteral("wizard"))->setProperty("currentSection", section);
                           }, true});
    } else if (verb == QLatin1String("add-victim")) {
        auto before = std::make_shared<int>(0);
        m_steps.push_back({verb, [] { return true; }, [e, before] {
                               *before = e->victimCount();
                               e->addVictim();
                           }});
        addWait(QStringLiteral("the victim added"), [e, before] { return e->victimCount() == *before + 1; });
        m_steps.push_back({QStringLiteral("victim added"), [] { return true; }, [] {}, true});
    } else if (verb == QLatin1String("answer")) {
        if (!need(3))
            return false;
        const int victim = words[1].toInt();
        const QString question = words[2];
        const QString value = words[3];
        m_steps.push_back({line, [] { return true; }, [e, victim, question, value] {
                               e->setAnswer(victim, question, value);
                           }, true});
    } else if (verb == QLatin1String("choice")) {
        if (!need(2))
            return false;
        const QString path = words[1];
        const QVariant value = choiceValue(rest(2));
        m_steps.push_back({verb + QLatin1Char(' ') + path, [] { return true; },
                           [e, path, value] { e->setChoice(path, value); }, true});
    } else if (verb == QLatin1String("text")) {
        if (!need(2))
            return false;
        const QString path = words[1];
        const QString text = rest(2);
        m_steps.push_back({verb + QLatin1Char(' ') + path, [] { return true; },
                           [e, path, text] { e->setText(path, text); }, true});
    } else if (verb == QLatin1String("type")) {
        if (!need(3))
            return false;
        const QString input = words[1];
        const int interval = words[2].toInt();
        const QString text = rest(3);
        for (QChar ch : text) {
            if (keyFor(ch) == Qt::Key_unknown) {
                *error = QStringLiteral("script line %1: only letters, digits and spaces can be typed").arg(lineNo);
                return false;
            }
        }
        // Focus the field with the caret at its end, as a tap at its end would.
        m_steps.push_back({QStringLiteral("focus ") + input, [this, input] {
                               auto* field = item(input);
                               return field && field->isVisible();
                           },
                           [this, input] {
                               auto* field = item(input);
                               field->forceActiveFocus(Qt::MouseFocusReason);
                               field->setProperty("cursorPosition", field->property("length"));
                           }});
        for (QChar ch : text) {
            m_steps.push_back({QStringLiteral("type into ") + input, [] { return true; }, [this, input, ch] {
                                   auto* field = item(input);
                                   const QString before = field ? field->property("text").toString() : QString();
                                   for (const QEvent::Type type : {QEvent::KeyPress, QEvent::KeyRelease}) {
                                       QKeyEvent key(type, keyFor(ch), Qt::NoModifier, QString(ch));
                                       QCoreApplication::sendEvent(window(), &key);
                                   }
                                   if (!field || field->property("text").toString() != before + ch)
                                       fail(QStringLiteral("a key press did not reach the field %1").arg(input));
                               }, true, interval});
        }
    } else if (verb == QLatin1String("sleep")) {
        if (!need(1))
            return false;
        m_steps.push_back({verb, [] { return true; }, [] {}, false, words[1].toInt()});
    } else if (verb == QLatin1String("wait-saved")) {
        addWait(QStringLiteral("the 124D saved"), [e] { return e->saveState() == QLatin1String("saved"); });
        m_steps.push_back({verb, [] { return true; }, [] {}, true});
    } else if (verb == QLatin1String("submit")) {
        m_steps.push_back({verb, [e] { return !e->submitting(); }, [e] { e->submit(); }});
        addWait(QStringLiteral("the submit to finish"), [e] { return !e->submitting() && !e->submitMessage().isEmpty(); });
        m_steps.push_back({QStringLiteral("submitted"), [] { return true; }, [this, e] {
                               if (e->state() != QLatin1String("submitted"))
                                   fail(QStringLiteral("the 124D was not submitted: %1").arg(e->submitMessage()));
                           }, true});
    } else if (verb == QLatin1String("sync-now")) {
        m_steps.push_back({verb, [] { return true; }, [c] { c->syncStatus()->syncNow(); }, true});
    } else if (verb == QLatin1String("wait-file")) {
        if (!need(1))
            return false;
        const QString path = rest(1);
        m_steps.push_back({verb, [path] { return QFileInfo::exists(path); }, [] {}, true, 0, 300000});
    } else if (verb == QLatin1String("wait-synced")) {
        m_steps.push_back({verb, [this, c] {
                               if (c->syncStatus()->state() != QLatin1String("idle") || c->syncStatus()->queued() != 0
                                   || c->unsentIncidents() != 0)
                                   return false;
                               IncidentListModel* list = c->home()->incidents();
                               for (int r = 0; r < list->rowCount(); ++r) {
                                   const QModelIndex at = list->index(r);
                                   if (at.data(IncidentListModel::IdRole).toString() == m_incidentId)
                                       return at.data(IncidentListModel::StateRole).toString() == QLatin1String("submitted")
                                              && at.data(IncidentListModel::UnsentRole).toInt() == 0
                                              && c->syncStatus()->text().startsWith(QLatin1String("Synced at"));
                               }
                               return false;
                           },
                           [] {}, true, 0, 120000});
    } else if (verb == QLatin1String("wait-idle")) {
        // Everything sent (a first sync of a large store can take many minutes).
        m_steps.push_back({verb, [c] {
                               return c->syncStatus()->state() == QLatin1String("idle") && c->syncStatus()->queued() == 0
                                      && c->unsentIncidents() == 0;
                           },
                           [] {}, true, 0, 3600000});
    } else if (verb == QLatin1String("save-stats")) {
        // Tap → saved as the editor measured it (IncidentEditor::saved), for docs/performance.md.
        m_steps.push_back({verb, [] { return true; }, [this] {
                               std::vector<double> v = m_tapSaves;
                               std::sort(v.begin(), v.end());
                               const auto at = [&v](double q) {
                                   return v.empty() ? 0.0
                                                    : v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
                               };
                               std::fprintf(stderr, "vigil --script: %zu taps saved: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                                            v.size(), at(0.5), at(0.95), at(0.99), v.empty() ? 0.0 : v.back());
                           }, true});
    } else if (verb == QLatin1String("quit")) {
        m_steps.push_back({verb, [] { return true; }, [this, e] {
                               e->flush();
                               m_timer.stop();
                               QCoreApplication::exit(0);
                           }});
    } else {
        *error = QStringLiteral("script line %1: unknown step '%2'").arg(lineNo).arg(verb);
        return false;
    }
    return true;
}

void ScriptDriver::begin()
{
    m_waiting.start();
    m_sinceLast.start();
    m_timer.start();
}

void ScriptDriver::tick()
{
    if (m_next >= m_steps.size() || m_exitCode != 0)
        return;
    Step& step = m_steps[m_next];
    if (m_sinceLast.elapsed() < step.delayMs)
        return;
    if (!step.ready()) {
        if (m_waiting.elapsed() > step.timeoutMs + step.delayMs)
            fail(QStringLiteral("timed out waiting for: %1 (on screen: %2)").arg(step.what, m_controller.message()));
        return;
    }
    ++m_next;
    step.act();
    if (step.counts) {
        std::printf("%lld\n", ++m_count);
        std::fflush(stdout);
    }
    m_sinceLast.restart();
    m_waiting.restart();
}

void ScriptDriver::fail(const QString& why)
{
    m_timer.stop();
    m_exitCode = 1;
    std::fprintf(stderr, "vigil --script: %s\n", qPrintable(why));
    QCoreApplication::exit(1);
}

QQuickWindow* ScriptDriver::window() const
{
    return qobject_cast<QQuickWindow*>(m_engine.rootObjects().value(0));
}

namespace {
/// The first item named `objectName` under `root`, through the visual tree (pages pushed on
/// a StackView are its visual children, not always its QObject children) and QObject children.
QQuickItem* findItem(QQuickItem* root, const QString& objectName)
{
    if (!root)
        return nullptr;
    if (root->objectName() == objectName)
        return root;
    for (QQuickItem* child : root->childItems()) {
        if (QQuickItem* found = findItem(child, objectName))
            return found;
    }
    for (QObject* child : root->children()) {
        auto* childItem = qobject_cast<QQuickItem*>(child);
        if (childItem && childItem->parentItem() != root) {
            if (QQuickItem* found = findItem(childItem, objectName))
                return found;
        }
    }
    return nullptr;
}
}  // namespace

QQuickItem* ScriptDriver::item(const QString& objectName) const
{
    QQuickWindow* w = window();
    return w ? findItem(w->contentItem(), objectName) : nullptr;
}

}  // namespace vigil::app
