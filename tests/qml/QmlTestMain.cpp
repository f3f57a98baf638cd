// Qt Quick Tests of the officer's app: the real QML module and controller, a real
// vigil-server on 127.0.0.1 to enrol against, a real SQLCipher store in a temporary folder.
// The key store is the in-memory one (named as such): the OS key store has its own tests.
#include <array>
#include <atomic>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include <QApplication>
#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QQmlEngine>
#include <QQuickWindow>
#include <QTranslator>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

#include <sodium.h>

#include "bridge/AppController.h"
#include "bridge/IncidentEditor.h"
#include "core/casework/WorkingDays.h"
#include "core/common/Uuid.h"
#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/risk/Dates.h"
#include "core/risk/JsonFile.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/RulesConfig.h"
#include "core/store/Database.h"
#include "core/store/Migrations.h"
#include "core/store/Schema.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncClient.h"
#include "sync/client/SyncEngine.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"

Q_IMPORT_QML_PLUGIN(VigilPlugin)

/// One enrolled test device: its credential, a real SQLCipher store under a random key, its
/// records and its own sync engine, against the test's vigil-server.
struct TestDevice {
    vigil::test::TempDir dir{"vigil-device"};
    vigil::test::InMemorySecretStore secrets;
    vigil::sync::SyncClient client;
    std::unique_ptr<vigil::sync::DeviceLink> link;
    std::unique_ptr<vigil::Database> db;
    std::unique_ptr<vigil::RecordStore> records;
    /// How far behind the real time the device's clock runs while it writes (a 124D started
    /// some hours ago, as on a tablet that was out of signal): 0 normally.
    std::atomic<std::int64_t> clockBehindSeconds{0};

    /// Enrol with `code` and open the store, once; "" or what went wrong.
    std::string open(const std::string& code, const std::string& keyName, const std::string& deviceName)
    {
        using namespace vigil;
        if (records)
            return {};
        link = std::make_unique<sync::DeviceLink>(client, secrets, keyName);
        auto e = link->enrol(code, deviceName);
        if (!e)
            return "enrol: " + e.error().message;
        std::array<unsigned char, 32> key{};
        randombytes_buf(key.data(), key.size());
        OpenOptions options;
        options.create = true;
        auto opened = Database::open(dir.path() / "device.db", key, options);
        if (!opened)
            return "open: " + opened.error().message;
        db = std::move(*opened);
        if (Status s = migrate(*db, deviceSchema()); !s.ok())
            return "migrate: " + s.error().message;
        auto rs = RecordStore::open(*db, [this] {
            return std::chrono::system_clock::now() - std::chrono::seconds(clockBehindSeconds.load());
        });
        if (!rs)
            return "records: " + rs.error().message;
        records = std::move(*rs);
        if (Status s = records->setDeviceId(e->deviceId); !s.ok())
            return s.error().message;
        return {};
    }

    /// One complete sync as `actor`; "" or what went wrong (a change the server refused, with
    /// its reason, included: a test device's changes are all meant to be accepted).
    std::string syncOnce(const vigil::Actor& actor)
    {
        vigil::sync::SyncEngine engine(*link);
        engine.start(*records, actor);
        auto report = engine.syncOnce();
        engine.stop();
        if (!report)
            return "sync: " + report.error().message;
        if (report->rejected == 0)
            return {};
        std::string why = "sync: the server refused " + std::to_string(report->rejected) + " change(s)";
        if (auto refused = records->rejectedOps(); refused && !refused->empty())
            why += ", the last: " + refused->back().second;
        return why;
    }
};

/// The shipped DASH models and rules, as the app reads them; "" or what went wrong.
std::string loadShippedRules(std::optional<vigil::RiskModelRegistry>& models, std::optional<vigil::RulesConfig>& rules)
{
    auto m = vigil::RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
    auto r = vigil::loadRulesConfigFile(std::string(VIGIL_RISK_MODEL_DIR) + "/rules-default.json");
    if (!m || !r)
        return "the risk models could not be read";
    models = std::move(*m);
    rules = std::move(*r);
    return {};
}

/// A victim of the officer's tablet: her name, and her safe-contact answers as the officer
/// recorded them (phone and email safe; text, voicemail and visits not, as the suspect reads
/// her phone), agreeing to her details going to partner agencies.
vigil::Victim inventedVictim(const std::string& name)
{
    vigil::Victim v;
    v.id = vigil::newUuid();
    v.person.name = name;
    v.relationship = "ex_partner";
    v.safeContact.phone = true;
    v.safeContact.email = true;
    v.safeContact.text = false;
    v.safeContact.voicemail = false;
    v.safeContact.visit = false;
    v.safeContact.afraidOf = "Her ex-partner, who reads her phone";
    v.consent.shareWithPartners = true;
    return v;
}

/// A device of the tests whose work (enrol, sync, decide) runs on a thread of its own, so the
/// app under test keeps running; QML waits on `busy` and reads `error`.
class BackgroundDevice : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool busy READ busy NOTIFY finished)
    Q_PROPERTY(QString error READ error NOTIFY finished)

public:
    ~BackgroundDevice() override
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] QString error() const { return m_error; }

signals:
    void finished();

protected:
    /// Run `work` (returns "" or what went wrong) unless some work still runs.
    void start(std::function<std::string()> work)
    {
        if (m_busy)
            return;
        if (m_thread.joinable())
            m_thread.join();
        m_busy = true;
        m_error.clear();
        QPointer<BackgroundDevice> self(this);
        m_thread = std::thread([self, work = std::move(work)] {
            const std::string error = work();
            QMetaObject::invokeMethod(
                self.data(),
                [self, error] {
                    if (!self)
                        return;
                    self->m_busy = false;
                    self->m_error = QString::fromStdString(error);
                    emit self->finished();
                },
                Qt::QueuedConnection);
        });
    }

    bool m_busy = false;
    QString m_error;
    std::thread m_thread;
};

/// A supervisor's desktop for the tests: its own enrolled device (a real SQLCipher store, its
/// own sync engine) against the same vigil-server. It pulls the team's 124Ds, decides on a
/// submitted one through the lifecycle commands as the desk does (returns it with QA notes, or
/// approves it and allocates it to an officer in the case), and pushes, as a real supervisor
/// would. The work runs on its own thread; QML waits on `busy`.
class SupervisorDesk : public BackgroundDevice {
    Q_OBJECT

public:
    explicit SupervisorDesk(vigil::test::ServerProcess& server) : m_server(server) {}
    ~SupervisorDesk() override
    {
        if (m_thread.joinable())
            m_thread.join();  // before m_device goes
    }

    /// Pull, send the "return" command with `note` for the 124D `id`, push.
    Q_INVOKABLE void returnIncident(const QString& id, const QString& note)
    {
        decide(id, [note = note.toStdString()](vigil::RecordStore&, vigil::IncidentRepository& repo,
                                               const vigil::Actor& actor, const std::string& incident) {
            return move(repo, actor, incident, vigil::LifecycleState::Returned, note);
        });
    }

    /// Pull, approve the submitted 124D `id` (its QA entry in the supervision log, as the desk
    /// writes it), allocate it for investigation to `officer` (`officerName` as the directory
    /// gives it) with `note` saying what to do first, push.
    Q_INVOKABLE void approveAndAllocate(const QString& id, const QString& officer, const QString& officerName,
                                        const QString& note)
    {
        vigil::Investigation allocation;
        allocation.officerInCase = officer.toStdString();
        allocation.officerInCaseName = officerName.toStdString();
        allocation.allocatedBy = kUser;
        decide(id, [allocation, note = note.toStdString()](vigil::RecordStore& store, vigil::IncidentRepository& repo,
                                                          const vigil::Actor& actor,
                                                          const std::string& incident) -> vigil::Status {
            using namespace vigil;
            Status approved = store.transaction([&]() -> Status {
                VIGIL_TRY(move(repo, actor, incident, LifecycleState::Approved, ""));
                SupervisionEntry qa;
                qa.kind = "qa";
                qa.outcome = "approved";
                qa.by = actor.userId;
                auto logged = repo.appendSupervision(actor, incident, qa);
                return logged ? Status() : Status(logged.error());
            });
            if (!approved.ok())
                return approved;
            // A second step on the desk, as the supervisor chooses the officer in the case.
            return store.transaction([&]() -> Status {
                VIGIL_TRY(repo.allocate(actor, incident, allocation));
                return move(repo, actor, incident, LifecycleState::UnderInvestigation, note);
            });
        });
    }

private:
    static constexpr const char* kUser = "ds.1907";
    using Decision = std::function<vigil::Status(vigil::RecordStore&, vigil::IncidentRepository&, const vigil::Actor&,
                                                 const std::string&)>;

    /// The lifecycle command to `to` from where the 124D stands, as the table names it.
    static vigil::Status move(vigil::IncidentRepository& repo, const vigil::Actor& actor, const std::string& id,
                              vigil::LifecycleState to, const std::string& note)
    {
        using namespace vigil;
        auto incident = repo.read(id);
        if (!incident)
            return std::move(incident).error();
        auto rule = findTransition(incident->state, to, Role::Supervisor);
        if (!rule)
            return std::move(rule).error();
        return repo.transition(actor, id, to, std::string((*rule)->action), note);
    }

    void decide(const QString& id, Decision decision)
    {
        if (m_busy)
            return;
        const std::string code = m_device.records ? std::string() : m_server.enrolCode(kUser);
        start([this, code, incident = id.toStdString(), decision = std::move(decision)] { return run(code, incident, decision); });
    }

    /// Pull, `decision` on the submitted 124D `id`, push; "" or what went wrong.
    std::string run(const std::string& code, const std::string& id, const Decision& decision)
    {
        using namespace vigil;
        if (auto e = m_device.open(code, "supervisor", "Supervisor desktop"); !e.empty())
            return e;
        const Actor actor{kUser, "quality assurance"};
        const auto syncOnce = [&] { return m_device.syncOnce(actor); };
        if (auto e = syncOnce(); !e.empty())
            return e;
        IncidentRepository repo(*m_device.records);
        auto incident = repo.read(id);
        if (!incident)
            return "read: " + incident.error().message;
        if (incident->state != LifecycleState::Submitted)
            return "the 124D reached the supervisor as " + std::string(toString(incident->state));
        if (Status s = decision(*m_device.records, repo, actor, id); !s.ok())
            return "decide: " + s.error().message;
        return syncOnce();
    }

    vigil::test::ServerProcess& m_server;
    TestDevice m_device;
};

/// An officer's tablet for the supervisor desk's tests (VIGIL_QML_DESK): its own enrolled
/// device (a real SQLCipher store, its own sync engine) against the same vigil-server. It makes
/// complete 124Ds and submits them as the officer's app does (the demo data passes the same
/// rules), pushes them, and later pulls to see what the supervisor decided.
class OfficerTablet : public BackgroundDevice {
    Q_OBJECT
    Q_PROPERTY(int submitted READ submitted NOTIFY finished)
    Q_PROPERTY(QString lastIncident READ lastIncident NOTIFY finished)

public:
    explicit OfficerTablet(vigil::test::ServerProcess& server) : m_server(server) {}
    ~OfficerTablet() override
    {
        if (m_thread.joinable())
            m_thread.join();  // before m_device goes
    }

    [[nodiscard]] int submitted() const { return m_submitted; }

    /// Make `count` 124Ds (some submitted), then sync.
    Q_INVOKABLE void submitDemo(int count) { start([this, count] { return makeAndSync(count); }); }
    /// Sync, to receive the supervisor's decisions.
    Q_INVOKABLE void pull() { start([this] { return syncOnce(); }); }
    /// A 124D's state on this tablet ("" if it is not here), after pull() finished.
    Q_INVOKABLE QString stateOf(const QString& id)
    {
        if (m_busy || !m_device.records)
            return {};
        auto incident = vigil::IncidentRepository(*m_device.records).read(id.toStdString());
        return incident ? QString::fromUtf8(toString(incident->state).data()) : QString();
    }
    /// The note of the last lifecycle command on it (the supervisor's QA notes on a return).
    Q_INVOKABLE QString lastNote(const QString& id)
    {
        if (m_busy || !m_device.records)
            return {};
        auto list = vigil::IncidentRepository(*m_device.records).list(1000);
        if (!list)
            return {};
        for (const auto& s : *list)
            if (s.id == id.toStdString())
                return QString::fromStdString(s.lastCommandNote + " (by " + s.lastCommandBy + ")");
        return {};
    }

    /// The fields the supervisor's QA notes on a returned 124D name (each shown beside its field).
    Q_INVOKABLE QStringList fieldNotes(const QString& id)
    {
        QStringList out;
        if (m_busy || !m_device.records)
            return out;
        auto list = vigil::IncidentRepository(*m_device.records).list(1000);
        if (!list)
            return out;
        for (const auto& s : *list)
            if (s.id == id.toStdString())
                for (const auto& [path, note] : vigil::app::IncidentEditor::fieldNotesIn(s.lastCommandNote))
                    out << QString::fromStdString(path);
        return out;
    }
    /// Put right what the notes asked (the CRIMINT reference, the location) and resubmit, then sync.
    Q_INVOKABLE void fixAndResubmit(const QString& id)
    {
        start([this, incidentId = id.toStdString()]() -> std::string {
            using namespace vigil;
            if (auto e = open(); !e.empty())
                return e;
            const Actor actor{"pc.4821", "response"};
            IncidentRepository repo(*m_device.records);
            auto incident = repo.read(incidentId);
            if (!incident)
                return "read: " + incident.error().message;
            incident->refs.crimint = "12345678";
            incident->location = "Flat 3, " + incident->location;
            if (Status s = repo.save(actor, *incident); !s.ok())
                return "save: " + s.error().message;
            if (Status s = repo.transition(actor, incidentId, LifecycleState::Submitted, "resubmit", ""); !s.ok())
                return "resubmit: " + s.error().message;
            return syncOnce();
        });
    }
    /// The first victim's supervisor grade and who gave it: "medium by ds.1907".
    Q_INVOKABLE QString supervisorGrade(const QString& id)
    {
        if (m_busy || !m_device.records)
            return {};
        auto incident = vigil::IncidentRepository(*m_device.records).read(id.toStdString());
        if (!incident || incident->victims.empty() || !incident->victims[0].supervisorGrade.grade)
            return {};
        const auto& g = incident->victims[0].supervisorGrade;
        return QString::fromStdString(std::string(toString(*g.grade)) + " by " + g.by);
    }
    /// The first victim's MARAC decision by the supervisor and who made it: "refer by ds.1907".
    Q_INVOKABLE QString supervisorMarac(const QString& id)
    {
        if (m_busy || !m_device.records)
            return {};
        auto incident = vigil::IncidentRepository(*m_device.records).read(id.toStdString());
        if (!incident || incident->victims.empty())
            return {};
        const auto& m = incident->victims[0].marac;
        return QString::fromStdString(std::string(toString(m.supervisorDecision)) + " by " + m.supervisorBy);
    }
    /// The officer in the case as it reached the tablet (a user id, "" until allocated).
    Q_INVOKABLE QString officerInCase(const QString& id)
    {
        if (m_busy || !m_device.records)
            return {};
        auto incident = vigil::IncidentRepository(*m_device.records).read(id.toStdString());
        return incident ? QString::fromStdString(incident->investigation.officerInCase) : QString();
    }
    /// The 124D's supervision log as it reached the tablet: "qa returned by ds.1907", ...
    Q_INVOKABLE QStringList supervisionLog(const QString& id)
    {
        QStringList out;
        if (m_busy || !m_device.records)
            return out;
        auto incident = vigil::IncidentRepository(*m_device.records).read(id.toStdString());
        if (incident)
            for (const auto& e : incident->supervision)
                out << QString::fromStdString(e.kind + " " + e.outcome + " by " + e.by);
        return out;
    }
    /// A draft 124D whose victim agrees to a referral to `idva` (an IDVA of a partner agency),
    /// with her safe-contact answers: phone and email safe, text, voicemail and visits not.
    Q_INVOKABLE void referToIdva(const QString& idva) { start([this, idva] { return makeReferral(idva.toStdString()); }); }
    /// A crime of domestic abuse reported by the officer: a complete 124D with one victim,
    /// `victimName` (her safe-contact answers as inventedVictim), started on this tablet
    /// `startedHoursAgo` hours ago (the report the Victims' Code clocks run from), submitted
    /// now and synced. Its id is `lastIncident` once `busy` is false. The tablet's clock never
    /// stamps below a stamp it issued before, so the oldest report is made first.
    Q_INVOKABLE void submitCrime(const QString& victimName, int startedHoursAgo)
    {
        start([this, name = victimName.toStdString(), startedHoursAgo] { return makeCrime(name, startedHoursAgo); });
    }
    [[nodiscard]] QString lastIncident() const { return m_lastIncident; }
    /// The case events the officer in the case recorded, as they reached the tablet (which
    /// owns the 124D): "arrest by dc.2231", "charge_decision charged by dc.2231".
    Q_INVOKABLE QStringList caseEventsSeen()
    {
        return rowsSeen(vigil::Entity::CaseEvent, [](const vigil::RecordRow& r) {
            const auto& charged = r.field("charged");
            return r.field("kind").get<std::string>()
                + (charged.is_boolean() ? (charged.get<bool>() ? " charged" : " not_charged") : "") + " by "
                + r.field("by").get<std::string>();
        });
    }
    /// The Victims' Code items the contacts reaching the tablet say they dealt with:
    /// "phone spoke by dc.2231: needs_assessment", "...: update:<the arrest's id>".
    Q_INVOKABLE QStringList contactDutiesSeen()
    {
        return rowsSeen(vigil::Entity::Contact, [](const vigil::RecordRow& r) {
            std::string duties;
            if (const auto& d = r.field("duties"); d.is_array())
                for (const auto& duty : d)
                    duties += (duties.empty() ? "" : ", ") + duty.get<std::string>();
            return r.field("method").get<std::string>() + " " + r.field("outcome").get<std::string>() + " by "
                + r.field("by").get<std::string>() + ": " + duties;
        });
    }
    /// The contacts the IDVA logged, as they reached the police tablet: "phone spoke by idva.3310".
    Q_INVOKABLE QStringList contactsSeen()
    {
        return rowsSeen(vigil::Entity::Contact, [](const vigil::RecordRow& r) {
            return r.field("method").get<std::string>() + " " + r.field("outcome").get<std::string>() + " by "
                + r.field("by").get<std::string>();
        });
    }
    /// The feedback forms the IDVA recorded, as they reached the police tablet: "after_charge
    /// letter by idva.3310".
    Q_INVOKABLE QStringList feedbackFormsSeen()
    {
        return rowsSeen(vigil::Entity::FeedbackForm, [](const vigil::RecordRow& r) {
            return r.field("kind").get<std::string>() + " " + r.field("method").get<std::string>() + " by "
                + r.field("by").get<std::string>();
        });
    }
    /// The tablet's audit chain is whole (nothing removed, altered or reordered).
    Q_INVOKABLE bool auditChainVerifies()
    {
        if (m_busy || !m_device.records)
            return false;
        auto v = m_device.records->auditLog().verify();
        return v && v->intact && v->entries > 0;
    }

private:
    /// Each live row of `entity` on the tablet, in words (after pull() finished).
    QStringList rowsSeen(vigil::Entity entity, const std::function<std::string(const vigil::RecordRow&)>& words)
    {
        QStringList out;
        if (m_busy || !m_device.records)
            return out;
        auto rows = m_device.records->liveRowsInStates(entity, {});
        if (rows)
            for (const auto& r : *rows)
                out << QString::fromStdString(words(r));
        return out;
    }

    std::string open()
    {
        return m_device.records ? std::string() : m_device.open(m_server.enrolCode("pc.4821"), "officer", "Officer tablet");
    }

    std::string makeCrime(const std::string& name, int startedHoursAgo)
    {
        using namespace vigil;
        if (auto e = open(); !e.empty())
            return e;
        std::optional<RiskModelRegistry> models;
        std::optional<RulesConfig> rules;
        if (auto e = loadShippedRules(models, rules); !e.empty())
            return e;
        const RiskModel* dash = models->latest("dash-2009");
        if (dash == nullptr)
            return "no DASH model";
        const Actor actor{"pc.4821", "response"};
        const auto started = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
            - std::chrono::hours(startedHoursAgo);
        Incident draft;
        draft.team = "north";
        draft.borough = "camden";
        draft.date = formatIsoDate(std::chrono::floor<std::chrono::days>(started));
        draft.location = "Invented Road, London";
        draft.crime = true;
        draft.refs.cris = "42" + std::to_string(10000 + m_crimes++) + "/26";  // 4201234/26: 7 digits, the year
        draft.positiveAction.powerOfArrest = true;
        draft.positiveAction.arrestMade = false;
        draft.positiveAction.noArrestJustification = "The suspect had left before officers arrived; circulated as wanted.";
        Victim v = inventedVictim(name);
        v.dash.modelId = dash->id;
        v.dash.modelVersion = dash->version;
        int yes = 0;
        for (const Question& q : dash->questions)  // three main questions yes: Standard
            v.dash.answers[q.id].value = q.group.empty() && yes++ < 3 ? AnswerValue::Yes : AnswerValue::No;
        v.officerGrade.grade = RiskGrade::Standard;
        v.officerGrade.by = "pc.4821";
        draft.victims.push_back(v);
        Suspect s;
        s.id = newUuid();
        s.person.name = "Invented Suspect";
        draft.suspects.push_back(s);
        IncidentRepository repo(*m_device.records);
        // Started `startedHoursAgo` ago: its rows carry that time as the report's.
        m_device.clockBehindSeconds = std::int64_t{startedHoursAgo} * 3600;
        auto made = repo.createDraft(actor, draft);
        m_device.clockBehindSeconds = 0;
        if (!made)
            return "draft: " + made.error().message;
        // Submitted now, after the rules the app runs first (the server runs them again).
        auto stored = repo.read(made->id);
        if (!stored)
            return "read: " + stored.error().message;
        const History none;
        const RuleContext context{*models, *rules, none, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
        Incident checked = *stored;
        if (auto problems = applyTransition(checked, TransitionRequest{LifecycleState::Submitted, Role::Officer, ""}, context);
            !problems.empty())
            return "submit: " + problems.front().message + " (" + problems.front().field + ")";
        if (Status st = repo.transition(actor, made->id, LifecycleState::Submitted, "submit", ""); !st.ok())
            return "submit: " + st.error().message;
        m_lastIncident = QString::fromStdString(made->id);
        return syncOnce();
    }

    std::string syncOnce()
    {
        if (auto e = open(); !e.empty())
            return e;
        return m_device.syncOnce(vigil::Actor{"pc.4821", "response"});
    }

    std::string makeReferral(const std::string& idva)
    {
        using namespace vigil;
        if (auto e = open(); !e.empty())
            return e;
        Incident draft;
        draft.refs.cad = "4711/06DEC26";
        draft.date = "2026-12-06T20:15";
        draft.location = "Invented Road, London";
        Victim v = inventedVictim("Invented Victim");
        v.officerGrade.grade = RiskGrade::High;
        v.officerGrade.by = "pc.4821";
        draft.victims.push_back(v);
        Referral r;
        r.id = newUuid();
        r.victimId = v.id;
        r.agency = "idva";
        r.toUser = idva;
        r.date = "2026-12-06";
        draft.referrals.push_back(r);
        IncidentRepository repo(*m_device.records);
        auto made = repo.createDraft(Actor{"pc.4821", "response"}, draft);
        if (!made)
            return "draft: " + made.error().message;
        return syncOnce();
    }

    std::string makeAndSync(int count)
    {
        using namespace vigil;
        if (auto e = open(); !e.empty())
            return e;
        std::optional<RiskModelRegistry> models;
        std::optional<RulesConfig> rules;
        if (auto e = loadShippedRules(models, rules); !e.empty())
            return e;
        DemoOptions options;
        options.incidents = count;
        options.owner = "pc.4821";
        options.team = "north";
        options.borough = "camden";
#ifdef VIGIL_QML_ANALYST
        // The analyst's Reports page asks for whole months before this one: the 124Ds end a month ago.
        options.lastDay = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) - std::chrono::days(35);
#endif
        IncidentRepository repo(*m_device.records);
        auto demo = generateDemoData(repo, *m_device.records, *models, *rules, options, Actor{"pc.4821", "response"});
        if (!demo)
            return "demo: " + demo.error().message;
        m_submitted = demo->states[LifecycleState::Submitted];
        return syncOnce();
    }

    vigil::test::ServerProcess& m_server;
    TestDevice m_device;
    int m_submitted = 0;
    int m_crimes = 0;
    QString m_lastIncident;  ///< written on the worker thread, read after `finished`
};

/// The server's administrator for the tests: runs vigil-admin on the test's server folder.
class ServerAdmin : public QObject {
    Q_OBJECT

public:
    explicit ServerAdmin(vigil::test::ServerProcess& server) : m_server(server) {}

    /// `vigil-admin bank-holidays import` of the shipped list at `version` with one more bank
    /// holiday on `date` (YYYY-MM-DD); "" or vigil-admin's words.
    Q_INVOKABLE QString importBankHoliday(int version, const QString& date, const QString& title)
    {
        auto text = vigil::readTextFile(vigil::shippedBankHolidayFile(), "bank-holiday list");
        if (!text)
            return QString::fromStdString(text.error().message);
        auto list = nlohmann::json::parse(*text);
        list["vigil"]["version"] = version;
        list["england-and-wales"]["events"].push_back(
            {{"title", title.toStdString()}, {"date", date.toStdString()}, {"notes", ""}, {"bunting", true}});
        const auto file = m_dir.path() / "bank-holidays.json";
        std::ofstream{file} << list.dump(2);
        auto r = m_server.admin({"bank-holidays", "import", file.string()});
        return r.exitCode == 0 ? QString() : QString::fromStdString(r.err);
    }

private:
    vigil::test::ServerProcess& m_server;
    vigil::test::TempDir m_dir{"vigil-admin-files"};
};

/// Where a test saves screenshots of what it shows (VIGIL_DESK_SHOTS), "" for nowhere.
class ShotsDir : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString directory READ directory CONSTANT)

public:
    [[nodiscard]] QString directory() const { return qEnvironmentVariable("VIGIL_DESK_SHOTS"); }
    /// Save what `window` shows (the whole window, as the screenshot mode grabs it) as `name`.png.
    Q_INVOKABLE bool grab(QObject* window, const QString& name) const
    {
        auto* quick = qobject_cast<QQuickWindow*>(window);
        return quick && !directory().isEmpty() && quick->grabWindow().save(directory() + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
};

class Setup : public QObject {
    Q_OBJECT

public slots:
    void qmlEngineAvailable(QQmlEngine* engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        if (m_controller)
            return;
        // As the app's main() does: the British English file holds the plural forms ("6 hours",
        // not "6 hour(s)"), so the screens and screenshots read as the user sees them.
        if (m_translator.load(QStringLiteral("vigil_en_GB"), QStringLiteral(":/i18n")))
            QCoreApplication::installTranslator(&m_translator);
        m_server = std::make_unique<vigil::test::ServerProcess>();
        m_server->addUser("pc.4821");
        // The desk's sergeant is cleared for restricted records (the restriction test needs one).
        m_server->addUser("ds.1907", "supervisor", "north", "camden", /*cleared=*/true);
        // Officers in the case the desk allocates to: a CSU investigator outside the north team.
        m_server->addUser("dc.2231", "investigator", "csu", "camden", false, "DC Invented Example");
        m_server->addUser("dc.4410", "investigator", "csu", "camden", false, "DC Invented Other");
        m_supervisor = std::make_unique<SupervisorDesk>(*m_server);
        qmlRegisterSingletonInstance("VigilTest", 1, 0, "Supervisor", m_supervisor.get());
        m_officer = std::make_unique<OfficerTablet>(*m_server);
        qmlRegisterSingletonInstance("VigilTest", 1, 0, "Officer", m_officer.get());
        qmlRegisterSingletonInstance("VigilTest", 1, 0, "Shots", &m_shots);
        m_admin = std::make_unique<ServerAdmin>(*m_server);
        qmlRegisterSingletonInstance("VigilTest", 1, 0, "Admin", m_admin.get());
#ifdef VIGIL_QML_DESK
        // The supervisor's desk: this app is a supervisor's (ds.1907's desktop); the officer's
        // 124Ds come from the officer's tablet through the server.
        const std::string appUser = "ds.1907";
#elif defined(VIGIL_QML_IDVA)
        // Victim casework: this app is an IDVA's laptop (a partner agency); the victims are
        // referred from the officer's tablet through the server.
        m_server->addUser("idva.3310", "idva", "advance", "camden", false, "Invented Adviser");
        const std::string appUser = "idva.3310";
#elif defined(VIGIL_QML_INVESTIGATOR)
        // The officer in the case (issue 24): this app is the CSU investigator's (dc.2231's
        // laptop); the officer's tablet submits the 124Ds and the supervisor's desktop allocates
        // them to dc.2231, both through the server.
        const std::string appUser = "dc.2231";
#elif defined(VIGIL_QML_ANALYST)
        // The analyst (issue 25): this app is an analyst's desktop; it receives no record, only the
        // figures the server publishes of the officer's 124Ds.
        m_server->addUser("an.5150", "analyst", "performance", "camden", false, "Invented Analyst");
        const std::string appUser = "an.5150";
#else
        const std::string appUser = "pc.4821";
#endif
        vigil::app::AppOptions options;
        options.dataDir = QString::fromStdString((m_dir.path() / "app").string());
        options.profile = vigil::app::profileForDataDir(options.dataDir);
        options.kdf = vigil::KdfStrength::Interactive;
        options.policy.lockoutAfter = 3;  // small numbers keep the lockout test short
        options.policy.wipeAfter = 5;
        options.policy.firstLockout = std::chrono::seconds(3);
        options.prefillCode = QString::fromStdString(m_server->enrolCode(appUser));
        m_controller = std::make_unique<vigil::app::AppController>(options, m_secrets);
        vigil::app::AppController::setInstance(m_controller.get());
        m_controller->start();
    }

    void cleanupTestCase()
    {
        if (m_controller)
            m_controller->shutdown();
    }

private:
    QTranslator m_translator;
    vigil::test::TempDir m_dir{"vigil-qml"};
    vigil::test::InMemorySecretStore m_secrets;
    std::unique_ptr<vigil::test::ServerProcess> m_server;
    std::unique_ptr<SupervisorDesk> m_supervisor;
    std::unique_ptr<OfficerTablet> m_officer;
    std::unique_ptr<ServerAdmin> m_admin;
    ShotsDir m_shots;
    std::unique_ptr<vigil::app::AppController> m_controller;
};

// As the app's own main: a QApplication, because the supervisor's figures draw a Qt Charts view
// (quick_test_main_with_setup keeps an application made before it is called).
int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QTEST_SET_MAIN_SOURCE_PATH
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "vigil_qml", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "QmlTestMain.moc"
