#include "IncidentEditor.h"

#include "core/records/OpLimits.h"

#include <algorithm>
#include <array>
#include <regex>

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QRegularExpression>

#include "core/common/Text.h"
#include "core/common/Uuid.h"
#include "core/records/AttachmentRepository.h"
#include "core/records/IncidentRepository.h"
#include "core/records/OpLimits.h"
#include "core/risk/AuthorityPolicy.h"
#include "core/risk/Dates.h"
#include "core/risk/FieldChecks.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/MaracRules.h"
#include "core/risk/PersonMatch.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/RiskModelDir.h"
#include "core/risk/RiskScorer.h"
#include "core/risk/SubmissionValidator.h"
#include "RecordsAccess.h"
#include "StoreWorker.h"
#include "Words.h"

namespace vigil::app {

using nlohmann::json;

namespace {

constexpr int kDebounceMs = 700;  // typed text is saved within a second of the last keystroke
// ... and, while the officer keeps typing, at most this long after the first unsaved key:
// a plain debounce would wait for a pause, and a kill after ten seconds of typing would lose
// all ten (tests/app/WizardProcessTest.cpp found it). 800 ms leaves the save 200 ms.
constexpr int kMaxTextWaitMs = 800;
constexpr const char* kDashModel = "dash-2009";
constexpr int kThumbnailPixels = 240;
// A camera frame is kept as a JPEG of this quality: injuries stay sharp, a 12 MP frame stays
// well under the per-photo limit.
constexpr int kCapturedPhotoQuality = 92;

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

/// "victims[2]" -> ("victims", 2); "refs" -> ("refs", nullopt). nullopt key when malformed.
struct Token {
    std::string key;
    std::optional<std::size_t> index;
};

std::optional<std::vector<Token>> tokenize(const std::string& path)
{
    std::vector<Token> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (part.empty())
            return std::nullopt;
        Token t;
        const std::size_t open = part.find('[');
        if (open == std::string::npos) {
            t.key = part;
        } else {
            if (part.back() != ']' || open == 0)
                return std::nullopt;
            t.key = part.substr(0, open);
            const std::string digits = part.substr(open + 1, part.size() - open - 2);
            if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return std::nullopt;
            t.index = std::stoul(digits);
        }
        out.push_back(std::move(t));
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return out;
}

/// Find the element of `array` with this id.
json* elementWithId(json& array, const std::string& id)
{
    if (!array.is_array())
        return nullptr;
    for (auto& e : array) {
        if (e.is_object() && e.value("id", std::string()) == id)
            return &e;
    }
    return nullptr;
}

QVariant toVariant(const json& j)
{
    if (j.is_null())
        return {};
    if (j.is_boolean())
        return j.get<bool>();
    if (j.is_number_integer())
        return j.get<qlonglong>();
    if (j.is_number())
        return j.get<double>();
    if (j.is_string())
        return q(j.get<std::string>());
    if (j.is_array()) {
        QVariantList list;
        for (const auto& e : j)
            list << toVariant(e);
        return list;
    }
    QVariantMap map;
    for (const auto& [k, v] : j.items())
        map[q(k)] = toVariant(v);
    return map;
}

json fromVariant(const QVariant& v)
{
    if (!v.isValid() || v.isNull())
        return nullptr;
    switch (v.typeId()) {
    case QMetaType::Bool: return v.toBool();
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong: return v.toLongLong();
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = v.toDouble();
        if (d == static_cast<double>(static_cast<long long>(d)))
            return static_cast<long long>(d);
        return d;
    }
    default: return v.toString().toStdString();
    }
}

QString gradeId(std::optional<RiskGrade> g) { return g ? q(toString(*g)) : QString(); }

/// Apply one edit to an incident's JSON. False when its target is gone (e.g. the victim was
/// removed meanwhile), which is not an error: there is nothing left to change.
bool applyEditTo(json& tree, const IncidentEditor::Edit& edit, int op)
{
    json* at = &tree;
    const auto& path = edit.path;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const auto& seg = path[i];
        const bool last = i + 1 == path.size();
        if (!at->is_object())
            return false;
        if (last && op == 1) {  // append an element to the array named by the last key
            json& array = (*at)[seg.key];
            if (!array.is_array())
                array = json::array();
            if (!elementWithId(array, edit.value.value("id", std::string())))
                array.push_back(edit.value);
            return true;
        }
        if (seg.id) {
            json& array = (*at)[seg.key];
            if (last && op == 2) {  // remove the element
                if (!array.is_array())
                    return false;
                for (auto it = array.begin(); it != array.end(); ++it) {
                    if (it->is_object() && it->value("id", std::string()) == *seg.id) {
                        array.erase(it);
                        return true;
                    }
                }
                return false;
            }
            json* element = elementWithId(array, *seg.id);
            if (!element)
                return false;
            at = element;
            continue;
        }
        if (last) {
            (*at)[seg.key] = edit.value;
            return true;
        }
        at = &(*at)[seg.key];
    }
    return false;
}

/// The kind of an edit is carried in its value's wrapper: {"@op": n, "v": value}.
json wrap(int op, json value) { return json{{"@op", op}, {"v", std::move(value)}}; }

const Victim* victimById(const Incident& incident, const std::string& id)
{
    for (const auto& v : incident.victims) {
        if (v.id == id)
            return &v;
    }
    return nullptr;
}

std::chrono::sys_days incidentDay(const Incident& incident, std::chrono::sys_seconds now)
{
    if (auto d = parseIsoDate(incident.date.substr(0, std::min<std::size_t>(10, incident.date.size()))))
        return *d;
    return std::chrono::floor<std::chrono::days>(now);  // not typed yet: counted back from today
}

}  // namespace

struct IncidentEditor::Loaded {
    std::optional<Error> error;
    Incident incident;
    QString reviewNote, reviewBy;
    std::shared_ptr<const RiskModelRegistry> models;
    std::shared_ptr<const RulesConfig> rules;
    std::shared_ptr<const AuthorityPolicy> policy;
    std::shared_ptr<const DiversityCategories> diversity;
    std::string userId;  ///< who is editing, and in which role (the policy decides on them)
    Role role = Role::Officer;
};

struct IncidentEditor::SaveBatch {
    std::vector<Edit> edits;
    struct AnswerWrite {
        std::string victimId, questionId;
        std::optional<Answer> answer;  ///< nullopt: clear it
    };
    std::vector<AnswerWrite> answers;
    bool tap = false;
    bool history = false;
    qint64 lastEdit = 0;
};

IncidentEditor::IncidentEditor(StoreWorker& worker, RecordsAccess& access, QObject* parent, Now now)
    : QObject(parent), m_worker(&worker), m_access(&access), m_now(std::move(now))
{
    if (!m_now)
        m_now = [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
    m_clock.start();
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &IncidentEditor::startSave);
}

IncidentEditor::~IncidentEditor() = default;

void IncidentEditor::shutdown()
{
    flush();
    m_worker = nullptr;
    m_access = nullptr;
}

// --- open / close ---

void IncidentEditor::open(const QString& id)
{
    flush();
    clearAll();
    if (!m_worker || id.isEmpty())
        return;
    m_loading = true;
    const quint64 generation = ++m_generation;
    emit openChanged();
    RecordsAccess* access = m_access;
    auto models = m_models;
    auto rules = m_rules;
    auto policy = m_policy;
    auto diversity = m_diversity;
    const std::string incidentId = id.toStdString();
    m_worker->run(
        this,
        [access, incidentId, models, rules, policy, diversity]() mutable {
            Loaded out;
            if (!models) {
                auto loaded = RiskModelRegistry::loadDirectory(shippedRiskModelPath());
                if (!loaded) {
                    out.error = loaded.error();
                    return out;
                }
                models = std::make_shared<const RiskModelRegistry>(std::move(*loaded));
            }
            if (!rules) {
                auto loaded = loadRulesConfigFile(shippedRiskModelPath() / "rules-default.json");
                if (!loaded) {
                    out.error = loaded.error();
                    return out;
                }
                rules = std::make_shared<const RulesConfig>(std::move(*loaded));
            }
            if (!policy) {
                auto loaded = AuthorityPolicy::loadFile(shippedRiskModelPath() / "rules-authority.json");
                if (!loaded) {
                    out.error = loaded.error();
                    return out;
                }
                policy = std::make_shared<const AuthorityPolicy>(std::move(*loaded));
            }
            if (!diversity) {
                auto loaded = DiversityCategories::loadFile(shippedRiskModelPath() / "rules-diversity.json");
                if (!loaded) {
                    out.error = loaded.error();
                    return out;
                }
                diversity = std::make_shared<const DiversityCategories>(std::move(*loaded));
            }
            out.models = models;
            out.rules = rules;
            out.policy = policy;
            out.diversity = diversity;
            out.userId = access->actor().userId;
            out.role = access->role();
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto incident = repo.load(access->actor(), incidentId);  // audited: opening a record
                if (!incident)
                    return std::move(incident).error();
                out.incident = std::move(*incident);
                if (out.incident.state == LifecycleState::Returned) {
                    auto head = store.get(Entity::Incident, incidentId);
                    if (head && head->has_value()) {
                        const json& f = (*head)->fields;
                        const auto text = [&f](std::string_view key) {
                            auto it = f.find(std::string(key));
                            return it != f.end() && it->is_string() ? q(it->get<std::string>()) : QString();
                        };
                        out.reviewNote = text(kReviewNoteField);
                        out.reviewBy = text(kReviewByField);
                    }
                }
                return {};
            });
            if (!s.ok())
                out.error = s.error();
            return out;
        },
        [this, generation](Loaded out) {
            if (generation != m_generation)
                return;
            applyLoaded(std::move(out));
        });
}

void IncidentEditor::applyLoaded(Loaded loaded)
{
    m_loading = false;
    if (loaded.models)
        m_models = loaded.models;
    if (loaded.rules)
        m_rules = loaded.rules;
    if (loaded.policy)
        m_policy = loaded.policy;
    if (loaded.diversity)
        m_diversity = loaded.diversity;
    m_userId = loaded.userId;
    m_role = loaded.role;
    if (loaded.error) {
        setMessage(q(loaded.error->message));
        emit openChanged();
        return;
    }
    m_incident = std::move(loaded.incident);
    m_tree = incidentToJson(m_incident);
    m_open = true;
    m_reviewNote = loaded.reviewNote;
    m_reviewBy = loaded.reviewBy;
    parseReviewNote();
    m_currentVictim = 0;
    ++m_revision;
    emit openChanged();
    emit currentVictimChanged();
    emit revisionChanged();
    evaluate();
    refreshHistory();
    refreshAttachments();
}

void IncidentEditor::close()
{
    flush();
    clearAll();
    emit openChanged();
}

void IncidentEditor::clearAll()
{
    ++m_generation;
    m_debounce.stop();
    m_firstUnsavedText = -1;
    m_open = false;
    m_loading = false;
    m_incident = Incident{};
    m_tree = json::object();
    m_history.reset();
    m_currentVictim = 0;
    m_reviewNote.clear();
    m_reviewBy.clear();
    m_fieldNotes.clear();
    if (!m_qaDraft.isEmpty()) {
        m_qaDraft.clear();  // notes not sent go with the 124D they were written for
        emit qaDraftChanged();
    }
    m_questions.setRows({});
    m_problems.setRows({});
    m_attachments.setRows({});
    m_risk.clear();
    m_priorHistory.clear();
    m_submitting = false;
    m_submitMessage.clear();
    m_message.clear();
    ++m_revision;
    emit revisionChanged();
    emit riskChanged();
    emit priorHistoryChanged();
    emit submitStateChanged();
    emit messageChanged();
    emit currentVictimChanged();
}

QString IncidentEditor::incidentId() const { return m_open ? q(m_incident.id) : QString(); }

QString IncidentEditor::state() const { return m_open ? q(toString(m_incident.state)) : QString(); }
QString IncidentEditor::stateLabel() const
{
    return m_open ? stateWords(state(), m_role == Role::Supervisor ? StateReader::Supervisor : StateReader::Officer)
                  : QString();
}
QString IncidentEditor::reference() const { return m_open ? shortReference(q(m_incident.id)) : QString(); }

WriteContext IncidentEditor::writeContext() const
{
    // Whether this user is cleared for restricted records is the server's to know: the device
    // offers the restriction only to a supervisor, and the server decides in every case.
    const bool onList = std::find(m_incident.accessList.begin(), m_incident.accessList.end(), m_userId)
        != m_incident.accessList.end();
    return WriteContext{m_role, !m_userId.empty() && m_incident.owner == m_userId, onList && m_incident.restricted(),
                        m_incident.state,
                        !m_userId.empty() && m_incident.investigation.officerInCase == m_userId};
}

std::pair<std::string, std::string> IncidentEditor::policyTarget(const QString& path)
{
    // "victims[0].grade.supervisor" is a person row's "grade.supervisor"; "refs.cad" the incident's.
    static const QRegularExpression part(QStringLiteral("^(victims|suspects|children|referrals)\\[\\d+\\]\\.(.+)$"));
    const auto m = part.match(path);
    if (!m.hasMatch())
        return {"incident", path.toStdString()};
    return {m.captured(1) == QLatin1String("referrals") ? "referral" : "person", m.captured(2).toStdString()};
}

bool IncidentEditor::editable() const
{
    // The officer's record (any field the policy's catch-all rule covers): its owner or a
    // supervisor, while it is a draft or returned (core/risk-models/rules-authority.json).
    return m_open && m_policy && m_policy->mayWrite(writeContext(), "incident", "incident.location");
}

bool IncidentEditor::mayEdit(const QString& path) const
{
    if (!m_open || !m_policy)
        return false;
    const auto [entity, field] = policyTarget(path);
    return m_policy->mayWrite(writeContext(), entity, field);
}

QString IncidentEditor::readBackDate(const QString& iso) const { return dateTimeReadBack(iso); }

QString IncidentEditor::formatProblem(const QString& path, const QString& text) const
{
    // Today where the officer is: a date of birth typed late in the evening is not "after today".
    const QDate local = QDateTime::fromSecsSinceEpoch(m_now().time_since_epoch().count()).date();
    const std::chrono::sys_days today{std::chrono::year{local.year()} / std::chrono::month{static_cast<unsigned>(local.month())}
                                      / std::chrono::day{static_cast<unsigned>(local.day())}};
    return q(fieldFormatProblem(path.toStdString(), text.toStdString(), today));
}

QString IncidentEditor::authorityNote(const QString& path) const
{
    if (!m_open || !m_policy || mayEdit(path))
        return {};
    const auto [entity, field] = policyTarget(path);
    const AuthorityRule* rule = m_policy->ruleFor(entity, field);
    return rule ? q(rule->explain) : QString();
}

void IncidentEditor::setCurrentVictim(int index)
{
    index = std::clamp(index, 0, std::max(0, victimCount() - 1));
    if (index == m_currentVictim)
        return;
    m_currentVictim = index;
    emit currentVictimChanged();
    evaluate();
}

std::string IncidentEditor::currentVictimId() const
{
    if (m_currentVictim < 0 || m_currentVictim >= victimCount())
        return {};
    return m_incident.victims[static_cast<std::size_t>(m_currentVictim)].id;
}

// --- reading ---

QVariant IncidentEditor::value(const QString& path) const
{
    auto tokens = tokenize(path.toStdString());
    if (!tokens || !m_open)
        return {};
    const json* at = &m_tree;
    for (const auto& t : *tokens) {
        if (!at->is_object() || !at->contains(t.key))
            return {};
        at = &(*at)[t.key];
        if (t.index) {
            if (!at->is_array() || *t.index >= at->size())
                return {};
            at = &(*at)[*t.index];
        }
    }
    return toVariant(*at);
}

QVariantList IncidentEditor::diversityQuestions() const
{
    QVariantList out;
    if (!m_open || !m_diversity)
        return out;
    for (const DiversityQuestion& question : m_diversity->questions()) {
        QVariantList options;
        for (const DiversityOption& o : question.options)
            options.append(QVariantMap{{QStringLiteral("value"), q(o.code)}, {QStringLiteral("label"), q(o.label)}});
        out.append(QVariantMap{{QStringLiteral("key"), q(question.key)},
                               {QStringLiteral("label"), q(question.label)},
                               {QStringLiteral("help"), q(question.help)},
                               {QStringLiteral("options"), options}});
    }
    return out;
}

QString IncidentEditor::victimPath(int index) const { return QStringLiteral("victims[%1]").arg(index); }

QVariantMap IncidentEditor::answer(int victim, const QString& questionId) const
{
    QVariantMap out{{QStringLiteral("answered"), false}, {QStringLiteral("value"), QString()}};
    if (victim < 0 || victim >= victimCount())
        return out;
    const auto& answers = m_incident.victims[static_cast<std::size_t>(victim)].dash.answers;
    auto it = answers.find(questionId.toStdString());
    if (it == answers.end())
        return out;
    out[QStringLiteral("answered")] = true;
    out[QStringLiteral("value")] = q(toString(it->second.value));
    out[QStringLiteral("note")] = q(it->second.note);
    out[QStringLiteral("reason")] = q(it->second.reason);
    out[QStringLiteral("source")] = q(it->second.source);
    return out;
}

QVariantList IncidentEditor::raraItems(int victim) const
{
    QVariantList out;
    if (victim < 0 || victim >= victimCount())
        return out;
    for (const auto& r : m_incident.victims[static_cast<std::size_t>(victim)].rara) {
        out << QVariantMap{{QStringLiteral("id"), q(r.id)},
                           {QStringLiteral("kind"), q(toString(r.kind))},
                           {QStringLiteral("description"), q(r.description)},
                           {QStringLiteral("owner"), q(r.owner)},
                           {QStringLiteral("due"), q(r.dueDate)}};
    }
    return out;
}

QString IncidentEditor::victimName(int index) const
{
    if (index < 0 || index >= victimCount())
        return {};
    return q(m_incident.victims[static_cast<std::size_t>(index)].person.name);
}

QVariantList IncidentEditor::referrals(int victim) const
{
    QVariantList out;
    if (!m_open)
        return out;
    const std::string vid = victim >= 0 && victim < victimCount() ? m_incident.victims[static_cast<std::size_t>(victim)].id
                                                                  : std::string();
    for (std::size_t i = 0; i < m_incident.referrals.size(); ++i) {
        const Referral& r = m_incident.referrals[i];
        const bool orphan = !victimById(m_incident, r.victimId);
        if (r.victimId != vid && !orphan)
            continue;
        out << QVariantMap{{QStringLiteral("index"), static_cast<int>(i)},
                           {QStringLiteral("id"), q(r.id)},
                           {QStringLiteral("victim"), orphan ? -1 : victim},
                           {QStringLiteral("agency"), q(r.agency)},
                           {QStringLiteral("date"), q(r.date)},
                           {QStringLiteral("notes"), q(r.notes)},
                           {QStringLiteral("toUser"), q(r.toUser)}};
    }
    return out;
}

QVariantMap IncidentEditor::sharing(int victim, const QString& agency) const
{
    if (!m_open || victim < 0 || victim >= victimCount())
        return {};
    const Consent& c = m_incident.victims[static_cast<std::size_t>(victim)].consent;
    SharingBasis basis = sharingBasis(c, agency.toStdString());
    // Asked for any agency, consent to a MARAC referral still lets one (to the MARAC) be made.
    if (agency.isEmpty() && basis != SharingBasis::Consent && sharingBasis(c, "marac") == SharingBasis::MaracConsent)
        basis = SharingBasis::MaracConsent;
    QString name;
    QString text;
    switch (basis) {
    case SharingBasis::Consent:
        name = QStringLiteral("consent");
        text = tr("The victim consents to sharing with partner agencies: referrals rest on her consent.");
        break;
    case SharingBasis::MaracConsent:
        name = QStringLiteral("marac_consent");
        text = tr("The victim consents to a MARAC referral only. Any other agency needs her consent to share, or a "
                  "lawful basis and why.");
        break;
    case SharingBasis::LawfulBasis:
        name = QStringLiteral("lawful_basis");
        text = tr("Shared without the victim's consent, on a lawful basis: %1. Why it applies is recorded.")
                   .arg(q(c.lawfulBasis).simplified());
        break;
    case SharingBasis::PartialLawfulBasis:
        name = QStringLiteral("partial");
        text = isBlank(c.justification)
            ? tr("A lawful basis needs its justification: write why sharing without the victim's consent is necessary "
                 "and proportionate, then add the referral.")
            : tr("A justification needs its lawful basis: name the law that allows sharing without the victim's "
                 "consent, then add the referral.");
        break;
    case SharingBasis::None:
        name = QStringLiteral("none");
        text = sharingBasis(c, "marac") == SharingBasis::MaracConsent
            ? tr("The victim consents to a MARAC referral only. Any other agency needs her consent to share, or a "
                 "lawful basis and why.")
            : tr("No referral can be made yet: a referral shares the victim's details with a partner agency. Record "
                 "her consent to share, or the lawful basis for sharing without it and why.");
        break;
    }
    const bool allowed = basis == SharingBasis::Consent || basis == SharingBasis::MaracConsent
        || basis == SharingBasis::LawfulBasis;
    return {{QStringLiteral("allowed"), allowed}, {QStringLiteral("basis"), name}, {QStringLiteral("text"), text}};
}

QString IncidentEditor::offencesText() const
{
    QStringList lines;
    for (const auto& o : m_incident.offences)
        lines << q(o);
    return lines.join(QLatin1Char('\n'));
}

// --- editing ---

std::optional<std::vector<IncidentEditor::Segment>> IncidentEditor::resolve(const QString& path) const
{
    auto tokens = tokenize(path.toStdString());
    if (!tokens)
        return std::nullopt;
    std::vector<Segment> out;
    const json* at = &m_tree;
    for (const auto& t : *tokens) {
        if (!at->is_object())
            return std::nullopt;
        Segment seg{t.key, std::nullopt};
        const json* next = at->contains(t.key) ? &(*at)[t.key] : nullptr;
        if (t.index) {
            if (!next || !next->is_array() || *t.index >= next->size())
                return std::nullopt;
            const json& element = (*next)[*t.index];
            const std::string id = element.is_object() ? element.value("id", std::string()) : std::string();
            if (id.empty())
                return std::nullopt;
            seg.id = id;
            next = &element;
        }
        out.push_back(std::move(seg));
        static const json kEmpty = json::object();
        at = next ? next : &kEmpty;
    }
    return out;
}

bool IncidentEditor::applyLocal(const Edit& edit)
{
    json tree = m_tree;
    const int op = edit.value.value("@op", 0);
    if (!applyEditTo(tree, Edit{edit.path, edit.value["v"]}, op))
        return false;
    auto updated = incidentFromJson(tree);
    if (!updated) {
        setMessage(q(updated.error().message));
        return false;
    }
    m_incident = std::move(*updated);
    m_tree = incidentToJson(m_incident);
    return true;
}

void IncidentEditor::setText(const QString& path, const QString& text)
{
    // The policy decides field by field: a supervisor writes the grade amendment of a
    // submitted 124D they may not otherwise change.
    if (!mayEdit(path))
        return;
    auto segments = resolve(path);
    if (!segments) {
        setMessage(tr("Vigil could not find the field %1 in this 124D. Go back to the list and open it again.").arg(path));
        return;
    }
    if (value(path).toString() == text)
        return;
    Edit edit{std::move(*segments), wrap(0, text.toStdString())};
    if (!applyLocal(edit))
        return;
    const bool history = path.contains(QLatin1String(".person.")) || path == QLatin1String("incident.date");
    queue(std::move(edit), false);
    changedLocally(history);
    armDebounce();
}

void IncidentEditor::setChoice(const QString& path, const QVariant& choice)
{
    if (!mayEdit(path))
        return;
    auto segments = resolve(path);
    if (!segments) {
        setMessage(tr("Vigil could not find the field %1 in this 124D. Go back to the list and open it again.").arg(path));
        return;
    }
    // A referral's agency chosen: consent to a MARAC referral does not share with another agency.
    static const QRegularExpression agencyPath(QStringLiteral("^referrals\\[(\\d+)\\]\\.agency$"));
    if (const auto m = agencyPath.match(path); m.hasMatch() && choice.isValid() && !choice.isNull()) {
        const auto at = m.captured(1).toULongLong();
        if (at < m_incident.referrals.size()) {
            const Victim* v = victimById(m_incident, m_incident.referrals[at].victimId);
            if (v && !sharingAllowed(v->consent, choice.toString().toStdString())) {
                const auto index = static_cast<int>(v - m_incident.victims.data());
                setMessage(sharing(index, choice.toString()).value(QStringLiteral("text")).toString());
                return;
            }
        }
    }
    Edit edit{std::move(*segments), wrap(0, fromVariant(choice))};
    tap(std::move(edit));
    // A supervisor's grade or MARAC decision names who gave it (the server checks it is the sender).
    if (path.endsWith(QLatin1String(".grade.supervisor")) || path.endsWith(QLatin1String(".marac.supervisor"))) {
        auto by = resolve(path + QStringLiteral("_by"));
        if (by)
            tap(Edit{std::move(*by), wrap(0, m_userId)});
    }
}

void IncidentEditor::setAnswer(int victim, const QString& questionId, const QString& answerValue)
{
    if (!editable() || victim < 0 || victim >= victimCount())
        return;
    Victim& v = m_incident.victims[static_cast<std::size_t>(victim)];
    const std::string qid = questionId.toStdString();
    if (answerValue.isEmpty()) {
        v.dash.answers.erase(qid);
    } else {
        auto parsed = answerValueFromString(answerValue.toStdString());
        if (!parsed)
            return;
        Answer& a = v.dash.answers[qid];  // keeps the note, reason and source already typed
        a.value = *parsed;
    }
    m_tree = incidentToJson(m_incident);
    queueAnswer(v.id, qid, true);
    changedLocally(false);
    startSave();
}

void IncidentEditor::setAnswerText(int victim, const QString& questionId, const QString& field, const QString& text)
{
    if (!editable() || victim < 0 || victim >= victimCount())
        return;
    Victim& v = m_incident.victims[static_cast<std::size_t>(victim)];
    auto it = v.dash.answers.find(questionId.toStdString());
    if (it == v.dash.answers.end())
        return;  // the screen offers the note only once the question is answered
    std::string* target = field == QLatin1String("note")     ? &it->second.note
                          : field == QLatin1String("reason") ? &it->second.reason
                          : field == QLatin1String("source") ? &it->second.source
                                                             : nullptr;
    if (!target || *target == text.toStdString())
        return;
    *target = text.toStdString();
    m_tree = incidentToJson(m_incident);
    queueAnswer(v.id, it->first, false);
    changedLocally(false);
    armDebounce();
}

void IncidentEditor::setAnswerOption(int victim, const QString& questionId, const QString& optionId, bool ticked)
{
    if (!editable() || victim < 0 || victim >= victimCount())
        return;
    Victim& v = m_incident.victims[static_cast<std::size_t>(victim)];
    auto it = v.dash.answers.find(questionId.toStdString());
    if (it == v.dash.answers.end())
        return;
    auto& options = it->second.options;
    const std::string id = optionId.toStdString();
    const auto found = std::find(options.begin(), options.end(), id);
    if (ticked == (found != options.end()))
        return;
    if (ticked)
        options.push_back(id);
    else
        options.erase(found);
    m_tree = incidentToJson(m_incident);
    queueAnswer(v.id, it->first, true);
    changedLocally(false);
    startSave();
}

void IncidentEditor::addVictim()
{
    if (!editable() || !m_models)
        return;
    Incident one;
    Victim v;
    v.id = newUuid();
    if (auto assessment = newAssessment(*m_models, kDashModel))
        v.dash = std::move(*assessment);
    one.victims.push_back(std::move(v));
    const json element = incidentToJson(one)["victims"][0];
    Edit edit{{Segment{"victims", std::nullopt}}, wrap(1, element)};
    if (!applyLocal(edit))
        return;
    queue(std::move(edit), true);
    setCurrentVictim(victimCount() - 1);
    changedLocally(true);
    startSave();
}

void IncidentEditor::addSuspect()
{
    if (!editable())
        return;
    Incident one;
    one.suspects.push_back(Suspect{newUuid(), {}});
    Edit edit{{Segment{"suspects", std::nullopt}}, wrap(1, incidentToJson(one)["suspects"][0])};
    tap(std::move(edit));
}

void IncidentEditor::addChild()
{
    if (!editable())
        return;
    Incident one;
    Child c;
    c.id = newUuid();
    one.children.push_back(c);
    Edit edit{{Segment{"children", std::nullopt}}, wrap(1, incidentToJson(one)["children"][0])};
    tap(std::move(edit));
}

void IncidentEditor::addRara(int victim, const QString& kind)
{
    if (!editable() || victim < 0 || victim >= victimCount())
        return;
    RaraItem item;
    item.id = newUuid();
    item.kind = raraKindFromString(kind.toStdString()).value_or(RaraKind::Reduce);
    Incident one;
    Victim v;
    v.rara.push_back(item);
    one.victims.push_back(v);
    const std::string vid = m_incident.victims[static_cast<std::size_t>(victim)].id;
    Edit edit{{Segment{"victims", vid}, Segment{"rara", std::nullopt}},
              wrap(1, incidentToJson(one)["victims"][0]["rara"][0])};
    tap(std::move(edit));
}

void IncidentEditor::addReferral(int victim, const QString& agency)
{
    if (!editable() || victim < 0 || victim >= victimCount())
        return;
    // Consent before disclosure: the same rule the server applies to the record as merged. With
    // consent to a MARAC referral only, the referral added is to the MARAC.
    const Consent& consent = m_incident.victims[static_cast<std::size_t>(victim)].consent;
    QString to = agency;
    if (to.isEmpty() && !sharingAllowed(consent, "") && sharingAllowed(consent, "marac"))
        to = QStringLiteral("marac");
    if (!sharingAllowed(consent, to.toStdString())) {
        m_message = sharing(victim, to).value(QStringLiteral("text")).toString();
        emit messageChanged();
        return;
    }
    Incident one;
    Referral r;
    r.id = newUuid();
    r.victimId = m_incident.victims[static_cast<std::size_t>(victim)].id;
    r.agency = to.toStdString();
    // Dated today on the device's calendar: the officer changes it if it was made earlier.
    const auto seconds = m_now().time_since_epoch().count();
    r.date = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(seconds)).date().toString(Qt::ISODate).toStdString();
    one.referrals.push_back(std::move(r));
    Edit edit{{Segment{"referrals", std::nullopt}}, wrap(1, incidentToJson(one)["referrals"][0])};
    tap(std::move(edit));
}

void IncidentEditor::setOffences(const QString& text)
{
    if (!editable())
        return;
    json list = json::array();
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            list.push_back(trimmed.toStdString());
    }
    if (list == json(m_incident.offences))
        return;
    Edit edit{{Segment{"incident", std::nullopt}, Segment{"offences", std::nullopt}}, wrap(0, list)};
    if (!applyLocal(edit))
        return;
    queue(std::move(edit), false);
    changedLocally(false);
    armDebounce();
}

QStringList IncidentEditor::accessList() const
{
    QStringList out;
    if (m_open)
        for (const auto& user : m_incident.accessList)
            out << q(user);
    return out;
}

void IncidentEditor::setAccessList(const QStringList& users)
{
    if (!m_open || !mayEdit(QStringLiteral("access_list")))
        return;
    json list = json::array();
    for (const QString& user : users) {
        const std::string id = user.trimmed().toStdString();
        if (!id.empty() && std::find(list.begin(), list.end(), id) == list.end())
            list.push_back(id);
    }
    if (list == json(m_incident.accessList))
        return;
    tap(Edit{{Segment{"access_list", std::nullopt}}, wrap(0, list)});  // a decision: saved at once
}

namespace {
IncidentEditor::Edit removal(std::vector<IncidentEditor::Segment> path) { return {std::move(path), wrap(2, nullptr)}; }
}  // namespace

void IncidentEditor::removeVictim(int index)
{
    if (!editable() || index < 0 || index >= victimCount())
        return;
    const std::string vid = m_incident.victims[static_cast<std::size_t>(index)].id;
    // The victim's referrals go with them (each is a row of its own, named by id).
    std::vector<Edit> edits;
    for (const auto& r : m_incident.referrals) {
        if (r.victimId == vid)
            edits.push_back(removal({Segment{"referrals", r.id}}));
    }
    edits.push_back(removal({Segment{"victims", vid}}));
    for (auto& edit : edits) {
        if (!applyLocal(edit))
            return;
        queue(std::move(edit), true);
    }
    m_currentVictim = std::clamp(m_currentVictim, 0, std::max(0, victimCount() - 1));
    emit currentVictimChanged();
    changedLocally(true);
    startSave();
}

void IncidentEditor::removeSuspect(int index)
{
    if (!editable() || index < 0 || index >= suspectCount())
        return;
    Edit edit = removal({Segment{"suspects", m_incident.suspects[static_cast<std::size_t>(index)].id}});
    tap(std::move(edit));
}

void IncidentEditor::removeChild(int index)
{
    if (!editable() || index < 0 || index >= childCount())
        return;
    Edit edit = removal({Segment{"children", m_incident.children[static_cast<std::size_t>(index)].id}});
    tap(std::move(edit));
}

void IncidentEditor::removeRara(int victim, int index)
{
    if (!editable() || victim < 0 || victim >= victimCount())
        return;
    const Victim& v = m_incident.victims[static_cast<std::size_t>(victim)];
    if (index < 0 || static_cast<std::size_t>(index) >= v.rara.size())
        return;
    Edit edit = removal({Segment{"victims", v.id}, Segment{"rara", v.rara[static_cast<std::size_t>(index)].id}});
    tap(std::move(edit));
}

void IncidentEditor::removeReferral(int index)
{
    if (!editable() || index < 0 || index >= referralCount())
        return;
    Edit edit = removal({Segment{"referrals", m_incident.referrals[static_cast<std::size_t>(index)].id}});
    tap(std::move(edit));
}

void IncidentEditor::queue(Edit edit, bool tap)
{
    // A later value for the same field replaces an earlier one still waiting.
    const int op = edit.value.value("@op", 0);
    if (op == 0) {
        const auto samePath = [&edit](const Edit& e) {
            if (e.value.value("@op", 0) != 0 || e.path.size() != edit.path.size())
                return false;
            for (std::size_t i = 0; i < e.path.size(); ++i) {
                if (e.path[i].key != edit.path[i].key || e.path[i].id != edit.path[i].id)
                    return false;
            }
            return true;
        };
        m_pendingFields.erase(std::remove_if(m_pendingFields.begin(), m_pendingFields.end(), samePath),
                              m_pendingFields.end());
    }
    m_pendingFields.push_back(std::move(edit));
    m_pendingTap = m_pendingTap || tap;
    m_pendingLastEdit = m_clock.elapsed();
    setSaveState(QStringLiteral("saving"));
}

void IncidentEditor::queueAnswer(const std::string& victimId, const std::string& questionId, bool tap)
{
    m_pendingAnswers.insert({victimId, questionId});
    m_pendingTap = m_pendingTap || tap;
    m_pendingLastEdit = m_clock.elapsed();
    setSaveState(QStringLiteral("saving"));
}

void IncidentEditor::tap(Edit edit)
{
    if (!applyLocal(edit))
        return;
    queue(std::move(edit), true);
    changedLocally(false);
    startSave();
}

void IncidentEditor::changedLocally(bool historyMayChange)
{
    // The history is read again after the save when a victim's details move. Problems listed
    // by a submit are checked again: one put right leaves the list at once.
    m_pendingHistory = m_pendingHistory || historyMayChange;
    // The models first (questions, risk, problems), then the revision: a binding that reads a
    // question row when the revision moves must find it up to date, not the row before the edit.
    evaluate();
    recheckProblems();
    ++m_revision;
    emit revisionChanged();
}

void IncidentEditor::flush()
{
    if (m_pendingFields.empty() && m_pendingAnswers.empty())
        return;
    startSave();
}

void IncidentEditor::armDebounce()
{
    const qint64 now = m_clock.elapsed();
    if (m_firstUnsavedText < 0)
        m_firstUnsavedText = now;
    const qint64 left = kMaxTextWaitMs - (now - m_firstUnsavedText);
    m_debounce.start(static_cast<int>(std::clamp<qint64>(left, 0, kDebounceMs)));
}

void IncidentEditor::startSave()
{
    m_debounce.stop();
    m_firstUnsavedText = -1;
    if (m_pendingFields.empty() && m_pendingAnswers.empty())
        return;
    if (!m_worker || !m_open) {
        m_pendingFields.clear();
        m_pendingAnswers.clear();
        return;
    }
    // A value over its field's size limit (core/records/OpLimits.h) would make the store refuse
    // the whole batch, again at every save: it stays waiting (on screen, with words) until it is
    // shortened, and the other changes are saved without it.
    std::optional<std::string> tooLong;
    const auto overLimit = [&](std::string_view field, const nlohmann::json& value) {
        auto breach = checkOpLimits("incident", m_incident.id, field, value);
        if (breach && !tooLong)
            tooLong = breach->message;
        return breach.has_value();
    };
    auto batch = std::make_shared<SaveBatch>();
    std::vector<Edit> held;
    for (auto& e : m_pendingFields) {
        const bool plain = e.value.value("@op", 0) == 0 && !e.path.empty();
        if (plain && overLimit(e.path.back().key, e.value["v"]))
            held.push_back(std::move(e));
        else
            batch->edits.push_back(std::move(e));
    }
    m_pendingFields = std::move(held);
    std::set<std::pair<std::string, std::string>> heldAnswers;
    for (const auto& [victimId, questionId] : m_pendingAnswers) {
        SaveBatch::AnswerWrite w{victimId, questionId, std::nullopt};
        if (const Victim* v = victimById(m_incident, victimId)) {
            if (auto it = v->dash.answers.find(questionId); it != v->dash.answers.end())
                w.answer = it->second;
        } else {
            continue;  // the victim was removed: their answers go with them
        }
        if (w.answer && (overLimit("note", w.answer->note) || overLimit("reason", w.answer->reason)
                         || overLimit("source", w.answer->source))) {
            heldAnswers.insert({victimId, questionId});
            continue;
        }
        batch->answers.push_back(std::move(w));
    }
    m_pendingAnswers = std::move(heldAnswers);
    m_tooLong = tooLong ? tr("Your last change is kept on screen but is not saved yet: %1").arg(q(*tooLong)) : QString();
    if (batch->edits.empty() && batch->answers.empty()) {
        if (!m_tooLong.isEmpty() && m_inFlight == 0)
            setSaveState(QStringLiteral("failed"), m_tooLong);
        return;
    }
    batch->tap = m_pendingTap;
    batch->history = m_pendingHistory;
    batch->lastEdit = m_pendingLastEdit;
    m_pendingTap = false;
    m_pendingHistory = false;
    ++m_inFlight;
    setSaveState(QStringLiteral("saving"));

    RecordsAccess* access = m_access;
    const std::string incidentId = m_incident.id;
    const quint64 generation = m_generation;
    m_worker->run(
        this,
        [access, incidentId, batch]() -> std::optional<Error> {
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                const Actor actor = access->actor();
                if (!batch->edits.empty()) {
                    // Re-read, so only the edited fields change whatever sync brought meanwhile.
                    auto stored = repo.read(incidentId);
                    if (!stored)
                        return std::move(stored).error();
                    json tree = incidentToJson(*stored);
                    for (const auto& e : batch->edits)
                        (void)applyEditTo(tree, Edit{e.path, e.value["v"]}, e.value.value("@op", 0));
                    auto updated = incidentFromJson(tree);
                    if (!updated)
                        return std::move(updated).error();
                    VIGIL_TRY(repo.save(actor, *updated));
                }
                for (const auto& w : batch->answers) {
                    if (w.answer)
                        VIGIL_TRY(repo.saveAnswer(actor, incidentId, w.victimId, w.questionId, *w.answer));
                    else
                        VIGIL_TRY(repo.clearAnswer(actor, incidentId, w.victimId, w.questionId));
                }
                return {};
            });
            if (!s.ok())
                return s.error();
            access->changed();
            return std::nullopt;
        },
        [this, batch, generation](std::optional<Error> error) {
            --m_inFlight;
            if (generation != m_generation) {
                // Saved for an incident no longer open (closed meanwhile): nothing to show.
                return;
            }
            if (error) {
                // Kept on screen and tried again with the next change or flush.
                for (auto& e : batch->edits)
                    m_pendingFields.insert(m_pendingFields.begin(), std::move(e));
                for (const auto& w : batch->answers)
                    m_pendingAnswers.insert({w.victimId, w.questionId});
                setSaveState(QStringLiteral("failed"),
                             tr("Your last change is kept on screen but is not saved yet: %1").arg(q(error->message)));
                return;
            }
            m_lastSaveMs = static_cast<double>(m_clock.elapsed() - batch->lastEdit);
            if (m_inFlight == 0 && m_pendingFields.empty() && m_pendingAnswers.empty())
                setSaveState(QStringLiteral("saved"));
            else if (m_inFlight == 0 && !m_tooLong.isEmpty())
                setSaveState(QStringLiteral("failed"), m_tooLong);  // what waits is too long to save
            else
                emit saveStateChanged();
            emit saved(m_lastSaveMs, batch->tap);
            if (batch->history)
                refreshHistory();
        });
}

void IncidentEditor::setSaveState(const QString& state, const QString& message)
{
    if (state == m_saveState && message == m_saveMessage)
        return;
    m_saveState = state;
    m_saveMessage = message;
    emit saveStateChanged();
}

void IncidentEditor::setMessage(const QString& message)
{
    if (message == m_message)
        return;
    m_message = message;
    emit messageChanged();
}

// --- risk ---

const RiskModel* IncidentEditor::modelFor(const Victim& victim) const
{
    if (!m_models)
        return nullptr;
    return m_models->find(victim.dash.modelId, victim.dash.modelVersion);
}

void IncidentEditor::evaluate()
{
    std::vector<QuestionRow> rows;
    QVariantMap risk;
    if (m_open && m_models && m_rules && m_currentVictim < victimCount()) {
        const auto vi = static_cast<std::size_t>(m_currentVictim);
        const Victim& victim = m_incident.victims[vi];
        History empty;
        empty.source = m_history ? m_history->source : HistorySource{};
        const History& history = m_history ? *m_history : empty;
        const RuleContext context{*m_models, *m_rules, history, m_now()};
        auto ev = evaluateVictim(m_incident, vi, context);
        if (!ev && ev.error().field == "incident.date")
            ev = evaluateVictimAt(m_incident, vi, context, std::nullopt);  // no date yet: answers only
        const RiskModel* model = modelFor(victim);
        if (!ev) {
            risk[QStringLiteral("error")] = q(ev.error().message);
        } else {
            const DashScore& score = ev->score;
            risk[QStringLiteral("yesCount")] = score.yesCount;
            risk[QStringLiteral("dontKnowCount")] = score.dontKnowCount;
            risk[QStringLiteral("notAskedCount")] = score.notAskedCount;
            risk[QStringLiteral("unansweredCount")] = score.unansweredCount;
            risk[QStringLiteral("computed")] = gradeId(score.computed);
            // No band is shown before the first answer: "Standard" from no answers is no grade.
            risk[QStringLiteral("answered")] = static_cast<int>(victim.dash.answers.size());
            risk[QStringLiteral("effective")] = gradeId(ev->effective);
            risk[QStringLiteral("officer")] = gradeId(victim.officerGrade.grade);
            risk[QStringLiteral("raised")] = victim.officerGrade.grade && *victim.officerGrade.grade > score.computed;
            if (model) {
                risk[QStringLiteral("model")] = q(model->displayName());
                risk[QStringLiteral("highThreshold")] = model->highRiskThreshold();
            }
            QVariantList specss;
            for (const auto& id : score.specssFactors) {
                const SpecssFactor* f = model ? model->findFactor(id) : nullptr;
                specss << QVariantMap{{QStringLiteral("id"), q(id)},
                                      {QStringLiteral("label"), f ? q(f->label) : q(id)},
                                      {QStringLiteral("help"), f ? q(f->help) : QString()}};
            }
            risk[QStringLiteral("specss")] = specss;
            QVariantList marac;
            for (const auto& c : ev->marac.criteria) {
                marac << QVariantMap{{QStringLiteral("kind"), q(toString(c.kind))},
                                     {QStringLiteral("reason"), q(c.reason)},
                                     {QStringLiteral("basis"), q(c.basis)}};
            }
            risk[QStringLiteral("marac")] = marac;
            risk[QStringLiteral("referralForced")] = ev->marac.referralForced;
            risk[QStringLiteral("repeatVictim")] = ev->repeatVictim.repeat;
            risk[QStringLiteral("repeatReason")] = q(ev->repeatVictim.reason);
            risk[QStringLiteral("basis")] = q(ev->repeatVictim.basis);
            risk[QStringLiteral("historyLoaded")] = m_history != nullptr;
        }
        if (model) {
            std::vector<std::string> open;
            if (ev)
                open = ev->score.openGroups;
            const auto rowFor = [&victim](const Question& question, const QuestionGroup* group) {
                QuestionRow r;
                r.id = q(question.id);
                r.number = question.number;
                r.text = q(question.text);
                r.help = q(question.help);
                r.group = group ? q(group->id) : QString();
                r.groupTitle = group ? q(group->title) : QString();
                r.counts = question.countsTowardTotal;
                r.verified = question.verified && (!group || group->verified);
                auto it = victim.dash.answers.find(question.id);
                for (const auto& o : question.options) {
                    const bool ticked = it != victim.dash.answers.end()
                                        && std::find(it->second.options.begin(), it->second.options.end(), o.id)
                                               != it->second.options.end();
                    r.options << QVariantMap{{QStringLiteral("id"), q(o.id)},
                                             {QStringLiteral("text"), q(o.text)},
                                             {QStringLiteral("ticked"), ticked}};
                }
                if (it != victim.dash.answers.end()) {
                    r.answer = q(toString(it->second.value));
                    r.note = q(it->second.note);
                    r.reason = q(it->second.reason);
                    r.source = q(it->second.source);
                }
                return r;
            };
            for (const auto& question : model->questions) {
                rows.push_back(rowFor(question, nullptr));
                if (!question.opensGroup.empty()
                    && std::find(open.begin(), open.end(), question.opensGroup) != open.end()) {
                    if (const QuestionGroup* group = model->findGroup(question.opensGroup)) {
                        for (const auto& sub : group->questions)
                            rows.push_back(rowFor(sub, group));
                    }
                }
            }
        }
    }
    m_questions.setRows(std::move(rows));
    m_risk = risk;
    emit riskChanged();
}

void IncidentEditor::refreshHistory()
{
    if (!m_worker || !m_open || !m_models || !m_rules)
        return;
    RecordsAccess* access = m_access;
    const Incident snapshot = m_incident;
    auto models = m_models;
    auto rules = m_rules;
    const auto now = m_now();
    const quint64 generation = m_generation;
    struct Out {
        std::shared_ptr<const History> history;
        QVariantList prior;
    };
    m_worker->run(
        this,
        [access, snapshot, models, rules, now]() {
            Out out;
            const HistorySource source = access->historySource();  // not inside: it asks the engine
            (void)access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto merged = repo.historyForIncident(snapshot, source);
                if (!merged)
                    return std::move(merged).error();
                out.history = std::make_shared<const History>(std::move(*merged));
                const auto day = incidentDay(snapshot, now);
                for (std::size_t i = 0; i < snapshot.victims.size(); ++i) {
                    QVariantMap entry;
                    const Victim& victim = snapshot.victims[i];
                    auto h = repo.historyFor(snapshot, i, source);
                    if (!h || victim.person.name.empty()) {
                        entry[QStringLiteral("found")] = false;
                        out.prior << entry;
                        continue;
                    }
                    const VictimHistoryFacts facts = collectVictimHistory(victim.person, snapshot.id, day, *h, *rules, now);
                    entry[QStringLiteral("found")] = facts.earlierIncidents > 0 || facts.earlierReferrals > 0;
                    entry[QStringLiteral("incidentsInYear")] = static_cast<int>(facts.repeatIncidentIds.size());
                    entry[QStringLiteral("earlierIncidents")] = facts.earlierIncidents;
                    entry[QStringLiteral("maracReferrals")] = facts.earlierReferrals;
                    entry[QStringLiteral("lastReferral")] = facts.lastReferral ? q(formatIsoDate(*facts.lastReferral)) : QString();
                    entry[QStringLiteral("basis")] = q(facts.basis);
                    // The last grade: the most recent earlier incident's grade for this person.
                    const HistoryIncident* latest = nullptr;
                    for (const auto& e : h->incidents) {
                        if (e.id != snapshot.id && e.date <= day && (!latest || e.date > latest->date))
                            latest = &e;
                    }
                    if (latest) {
                        entry[QStringLiteral("lastDate")] = q(formatIsoDate(latest->date));
                        if (auto earlier = repo.read(latest->id)) {
                            for (const auto& ev : earlier->victims) {
                                if (matchPersons(ev.person, victim.person) == MatchBasis::None)
                                    continue;
                                auto score = scoreAssessment(ev.dash, *models);
                                const RiskGrade computed = score ? score->computed : RiskGrade::Standard;
                                if (score || ev.officerGrade.grade || ev.supervisorGrade.grade)
                                    entry[QStringLiteral("lastGrade")] =
                                        gradeId(effectiveGrade(computed, ev.officerGrade, ev.supervisorGrade));
                                break;
                            }
                        }
                    }
                    out.prior << entry;
                }
                return {};
            });
            return out;
        },
        [this, generation](Out out) {
            if (generation != m_generation)
                return;
            if (out.history)
                m_history = out.history;
            m_priorHistory = out.prior;
            emit priorHistoryChanged();
            evaluate();
        });
}

// --- submit ---

void IncidentEditor::submit()
{
    if (!editable())
        return;
    transitionTo(LifecycleState::Submitted, {});
}

bool IncidentEditor::reviewable() const
{
    return m_open && m_role == Role::Supervisor && m_incident.state == LifecycleState::Submitted;
}

namespace {

/// The state a supervisor's decision leads to.
std::optional<LifecycleState> decisionTarget(const QString& decision)
{
    if (decision == QLatin1String("approve"))
        return LifecycleState::Approved;
    if (decision == QLatin1String("return"))
        return LifecycleState::Returned;
    if (decision == QLatin1String("allocate"))
        return LifecycleState::UnderInvestigation;
    if (decision == QLatin1String("close"))
        return LifecycleState::Closed;
    return std::nullopt;
}

}  // namespace

bool IncidentEditor::mayDecide(const QString& decision) const
{
    const auto to = decisionTarget(decision);
    return m_open && to && findTransition(m_incident.state, *to, m_role).ok();
}

void IncidentEditor::decide(const QString& decision, const QString& note)
{
    if (!mayDecide(decision))
        return;
    const std::string text = note.trimmed().toStdString();
    const auto refuse = [this](const QString& why) {
        m_submitMessage = why;
        emit submitStateChanged();
    };
    if (decision == QLatin1String("return") && text.empty())
        return refuse(tr("Not returned: write at least one note saying what to put right (a line may start with a "
                         "field, e.g. \"refs.crimint: add the reference\")."));
    if (decision == QLatin1String("allocate"))
        return refuse(tr("Not allocated: choose the officer in the case from the list, and say what they should do "
                         "first."));
    if (decision == QLatin1String("close") && text.empty())
        return refuse(tr("Not closed: write the final risk review (the risk now, and why the case can close)."));
    transitionTo(*decisionTarget(decision), text);
}

QString IncidentEditor::officerInCase() const
{
    const Investigation& i = m_incident.investigation;
    return QString::fromStdString(i.officerInCaseName.empty() ? i.officerInCase : i.officerInCaseName);
}

bool IncidentEditor::mayAllocate() const
{
    if (!m_open || m_role != Role::Supervisor)
        return false;
    return mayDecide(QStringLiteral("allocate")) || m_incident.state == LifecycleState::UnderInvestigation;
}

void IncidentEditor::allocate(const QString& userId, const QString& name, const QString& note)
{
    if (!mayAllocate() || m_submitting)
        return;
    const auto refuse = [this](const QString& why) {
        m_submitMessage = why;
        emit submitStateChanged();
    };
    Investigation allocation;
    allocation.officerInCase = userId.trimmed().toStdString();
    allocation.officerInCaseName = name.trimmed().toStdString();
    allocation.allocatedBy = m_userId;
    allocation.allocatedAt = formatIsoDateTime(m_now());
    const std::string text = note.trimmed().toStdString();
    if (allocation.officerInCase.empty())
        return refuse(tr("Not allocated: choose the officer in the case from the list."));
    if (m_incident.state == LifecycleState::UnderInvestigation) {
        if (allocation.officerInCase == m_incident.investigation.officerInCase)
            return refuse(tr("%1 is already the officer in the case.").arg(officerInCase()));
        return reallocate(std::move(allocation));
    }
    if (text.empty())
        return refuse(tr("Not allocated: say what the officer in the case should do first."));
    transitionTo(LifecycleState::UnderInvestigation, text, std::move(allocation));
}

void IncidentEditor::reallocate(Investigation allocation)
{
    if (!m_worker || !m_access)
        return;
    flush();
    m_submitting = true;
    m_submitMessage.clear();
    emit submitStateChanged();
    RecordsAccess* access = m_access;
    const std::string incidentId = m_incident.id;
    const quint64 generation = m_generation;
    m_worker->run(
        this,
        [access, incidentId, allocation]() mutable {
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                return repo.allocate(access->actor(), incidentId, allocation);
            });
            if (s.ok())
                access->changed();
            return std::make_pair(s.ok() ? QString() : q(s.error().message), allocation);
        },
        [this, generation](std::pair<QString, Investigation> out) {
            if (generation != m_generation)
                return;
            m_submitting = false;
            if (!out.first.isEmpty()) {
                m_submitMessage = tr("Not moved: %1").arg(out.first);
            } else {
                m_incident.investigation = std::move(out.second);
                m_tree = incidentToJson(m_incident);
                m_submitMessage = tr("%1 is now the officer in the case. It goes with the next sync.").arg(officerInCase());
                emit openChanged();
                emit submitted();
            }
            emit submitStateChanged();
        });
}

void IncidentEditor::transitionTo(LifecycleState to, const std::string& note, std::optional<Investigation> allocation)
{
    if (m_submitting || !m_worker || !m_models || !m_rules)
        return;
    flush();  // queued before the check: the worker sees every change first
    m_submitting = true;
    m_submitMessage.clear();
    emit submitStateChanged();
    RecordsAccess* access = m_access;
    const std::string incidentId = m_incident.id;
    auto models = m_models;
    auto rules = m_rules;
    const auto now = m_now();
    const quint64 generation = m_generation;
    // A supervisor's QA decision and the final risk review go into the 124D's supervision log
    // (append-only), with the command: returns are counted per officer and section from it.
    std::optional<SupervisionEntry> logged;
    if (m_role == Role::Supervisor
        && (to == LifecycleState::Approved || to == LifecycleState::Returned || to == LifecycleState::Closed)
        && (m_incident.state == LifecycleState::Submitted || to == LifecycleState::Closed)) {
        SupervisionEntry e;
        e.kind = to == LifecycleState::Closed ? "final" : "qa";
        e.outcome = to == LifecycleState::Approved ? "approved" : to == LifecycleState::Returned ? "returned" : "closed";
        e.by = m_userId;
        e.notes = note;
        if (to == LifecycleState::Returned)
            e.sections = sectionsNamedIn(note);
        logged = std::move(e);
    }
    struct Out {
        std::optional<Error> failure;
        std::vector<Error> problems;
        std::optional<LifecycleState> state;
        std::optional<Investigation> allocation;
    };
    m_worker->run(
        this,
        [access, incidentId, models, rules, now, to, note, logged, allocation]() mutable {
            Out out;
            const HistorySource source = access->historySource();  // not inside: it asks the engine
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                IncidentRepository repo(store);
                auto stored = repo.read(incidentId);
                if (!stored)
                    return std::move(stored).error();
                auto history = repo.historyForIncident(*stored, source);
                if (!history)
                    return std::move(history).error();
                const RuleContext context{*models, *rules, *history, now};
                const LifecycleState from = stored->state;
                Incident checked = *stored;
                out.problems = applyTransition(checked, TransitionRequest{to, access->role(), note}, context);
                if (!out.problems.empty())
                    return {};
                auto rule = findTransition(from, to, access->role());
                if (!rule)
                    return std::move(rule).error();
                return store.transaction([&]() -> Status {
                    if (allocation) {
                        // Before the command: the server checks who may write it in the state
                        // the 124D stands in (approved), and who then may see it.
                        VIGIL_TRY(repo.allocate(access->actor(), incidentId, *allocation));
                        out.allocation = allocation;
                    }
                    VIGIL_TRY(repo.transition(access->actor(), incidentId, to, std::string((*rule)->action), note));
                    if (logged) {
                        if (logged->kind == "final") {
                            // The risk as it stands at closure: the highest grade decided for any victim.
                            for (const Victim& v : checked.victims) {
                                const auto grade = v.supervisorGrade.grade ? v.supervisorGrade.grade : v.officerGrade.grade;
                                if (grade && (!logged->risk || *grade > *logged->risk))
                                    logged->risk = grade;
                            }
                        }
                        auto entry = repo.appendSupervision(access->actor(), incidentId, *logged);
                        if (!entry)
                            return std::move(entry).error();
                    }
                    out.state = checked.state;
                    return {};
                });
            });
            if (!s.ok())
                out.failure = s.error();
            else if (out.state)
                access->changed();  // the command goes to the station with the next sync, soon
            return out;
        },
        [this, generation, to](Out out) {
            if (generation != m_generation)
                return;
            m_submitting = false;
            showProblems(out.problems);
            const int problems = static_cast<int>(out.problems.size());
            if (out.failure) {
                m_submitMessage = to == LifecycleState::Approved ? tr("Not approved: %1").arg(q(out.failure->message))
                                : to == LifecycleState::UnderInvestigation ? tr("Not allocated: %1").arg(q(out.failure->message))
                                : to == LifecycleState::Closed ? tr("Not closed: %1").arg(q(out.failure->message))
                                : to == LifecycleState::Returned ? tr("Not returned: %1").arg(q(out.failure->message))
                                                                 : tr("Not submitted: %1").arg(q(out.failure->message));
            } else if (!out.problems.empty()) {
                m_submitMessage =
                    to == LifecycleState::Approved
                        ? tr("Not approved: %n problem(s) with the submission rules. Return it to the officer with notes "
                             "on what to put right.", nullptr, problems)
                        : tr("Not submitted: %n problem(s) to put right first. Tap one to go to it.", nullptr, problems);
            } else if (out.state) {
                setQaDraft({});  // sent with the decision
                m_incident.state = *out.state;
                if (out.allocation)
                    m_incident.investigation = *out.allocation;
                m_tree = incidentToJson(m_incident);
                m_submitMessage =
                    *out.state == LifecycleState::Approved
                        ? tr("Approved. The officer sees it with the next sync.")
                    : *out.state == LifecycleState::UnderInvestigation
                        ? tr("Allocated to %1 for investigation. It goes with the next sync.").arg(officerInCase())
                    : *out.state == LifecycleState::Closed
                        ? tr("Closed with your final risk review. It goes with the next sync.")
                    : *out.state == LifecycleState::Returned
                        ? tr("Returned to the officer with your notes. It goes with the next sync.")
                        : tr("Submitted for review. It goes to the station with the next sync; you can see it in "
                             "your list.");
                emit openChanged();
                emit submitted();
            }
            emit submitStateChanged();
        });
}

void IncidentEditor::showProblems(const std::vector<Error>& problems)
{
    std::vector<ProblemRow> rows;
    for (const auto& e : problems) {
        const QVariantMap at = locate(q(e.field));
        rows.push_back(ProblemRow{q(e.message), q(e.field), at.value(QStringLiteral("section")).toInt(),
                                  at.value(QStringLiteral("victim")).toInt(), at.value(QStringLiteral("step")).toInt()});
    }
    m_problems.setRows(std::move(rows));
}

void IncidentEditor::recheckProblems()
{
    // Only once a submit has listed problems: the list follows the officer's changes, a line
    // going as soon as it is put right (the submission rules, on the 124D as it now stands,
    // with the history last read; the submit itself checks again on the store).
    if (m_problems.count() == 0 || m_submitting || !m_models || !m_rules || !editable())
        return;
    History empty;
    empty.source = m_history ? m_history->source : HistorySource{};
    const RuleContext context{*m_models, *m_rules, m_history ? *m_history : empty, m_now()};
    Incident checked = m_incident;
    const std::vector<Error> problems =
        applyTransition(checked, TransitionRequest{LifecycleState::Submitted, m_role, {}}, context);
    showProblems(problems);
    if (problems.empty())
        m_submitMessage = tr("Every problem is put right: submit when ready.");
    else
        m_submitMessage = tr("Not submitted: %n problem(s) to put right first. Tap one to go to it.", nullptr,
                             static_cast<int>(problems.size()));
    emit submitStateChanged();
}

// --- where a field lives ---

QVariantMap IncidentEditor::locate(const QString& path) const
{
    QVariantMap out{{QStringLiteral("section"), static_cast<int>(ReviewSection)},
                    {QStringLiteral("victim"), -1},
                    {QStringLiteral("step"), -1},
                    {QStringLiteral("field"), path}};
    auto tokens = tokenize(path.toStdString());
    if (!tokens || tokens->empty())
        return out;
    const Token& head = tokens->front();
    const auto set = [&out](Section s) { out[QStringLiteral("section")] = static_cast<int>(s); };
    if (head.key == "incident" || head.key == "refs" || head.key == "counter_allegation" || head.key == "flags") {
        set(IncidentSection);
    } else if (head.key == "positive_action") {
        set(PositiveActionSection);
    } else if (head.key == "children") {
        set(ChildrenSection);
    } else if (head.key == "suspects") {
        set(SuspectsSection);
    } else if (head.key == "evidence") {
        set(EvidenceSection);
    } else if (head.key == "referrals") {
        set(MaracSection);
        // On the tab of the victim the referral is for.
        if (head.index && *head.index < m_incident.referrals.size()) {
            const std::string& vid = m_incident.referrals[*head.index].victimId;
            for (std::size_t i = 0; i < m_incident.victims.size(); ++i) {
                if (m_incident.victims[i].id == vid)
                    out[QStringLiteral("victim")] = static_cast<int>(i);
            }
        }
    } else if (head.key == "victims") {
        set(VictimsSection);
        if (!head.index)
            return out;
        const int victim = static_cast<int>(*head.index);
        out[QStringLiteral("victim")] = victim;
        if (tokens->size() < 2)
            return out;
        const std::string& part = (*tokens)[1].key;
        if (part == "dash") {
            set(DashSection);
            out[QStringLiteral("step")] = 0;
            if (tokens->size() >= 3 && victim < victimCount()) {
                const std::string qid = (*tokens)[2].key;
                const Victim& v = m_incident.victims[static_cast<std::size_t>(victim)];
                if (const RiskModel* model = modelFor(v)) {
                    // Steps as the wizard shows them: main questions, opened groups after their opener.
                    auto score = scoreAssessment(v.dash, *model);
                    int step = 0;
                    for (const auto& question : model->questions) {
                        if (question.id == qid) {
                            out[QStringLiteral("step")] = step;
                            break;
                        }
                        ++step;
                        if (!question.opensGroup.empty() && score
                            && std::find(score->openGroups.begin(), score->openGroups.end(), question.opensGroup)
                                   != score->openGroups.end()) {
                            const QuestionGroup* group = model->findGroup(question.opensGroup);
                            bool found = false;
                            for (std::size_t k = 0; group && k < group->questions.size(); ++k) {
                                if (group->questions[k].id == qid) {
                                    out[QStringLiteral("step")] = step + static_cast<int>(k);
                                    found = true;
                                    break;
                                }
                            }
                            if (found)
                                break;
                            step += group ? static_cast<int>(group->questions.size()) : 0;
                        }
                    }
                }
            }
        } else if (part == "grade") {
            set(GradeSection);
        } else if (part == "rara") {
            set(RaraSection);
        } else if (part == "marac") {
            set(MaracSection);
        }
    }
    return out;
}

void IncidentEditor::parseReviewNote() { m_fieldNotes = fieldNotesIn(m_reviewNote.toStdString()); }

std::map<std::string, std::string> IncidentEditor::fieldNotesIn(const std::string& note)
{
    std::map<std::string, std::string> notes;
    // A QA note is free text. A line that starts with a field path and a colon
    // ("refs.crimint: check the link") is shown beside that field as well.
    static const std::regex line(R"(^\s*([a-z_]+(?:\[[0-9]+\])?(?:\.[a-z_0-9]+(?:\[[0-9]+\])?)*)\s*:\s*(.+?)\s*$)");
    std::size_t start = 0;
    while (start < note.size()) {
        std::size_t end = note.find('\n', start);
        if (end == std::string::npos)
            end = note.size();
        const std::string text = note.substr(start, end - start);
        std::smatch m;
        if (std::regex_match(text, m, line) && tokenize(m[1].str())) {
            const std::string key = m[1].str();
            const std::string head = key.substr(0, key.find_first_of(".["));
            static const std::set<std::string> known{"incident", "refs", "counter_allegation", "flags", "positive_action",
                                                     "children", "suspects", "evidence", "referrals", "victims"};
            if (known.count(head)) {
                std::string& kept = notes[key];
                kept += (kept.empty() ? "" : "\n") + m[2].str();
            }
        }
        start = end + 1;
    }
    return notes;
}

std::vector<std::string> IncidentEditor::sectionsNamedIn(const std::string& note) const
{
    static constexpr std::array<const char*, SectionCount> kKeys{
        "incident", "victims", "suspects", "children", "dash", "grade", "rara", "positive_action", "evidence", "marac", "review"};
    std::vector<std::string> out;
    for (const auto& [path, text] : fieldNotesIn(note)) {
        const int section = locate(q(path)).value(QStringLiteral("section")).toInt();
        if (section < 0 || section >= SectionCount)
            continue;
        const std::string key = kKeys[static_cast<std::size_t>(section)];
        if (std::find(out.begin(), out.end(), key) == out.end())
            out.push_back(key);
    }
    if (out.empty())
        out.push_back("general");  // notes naming no field: the 124D as a whole
    return out;
}

QString IncidentEditor::noteFor(const QString& path) const
{
    auto it = m_fieldNotes.find(path.toStdString());
    return it == m_fieldNotes.end() ? QString() : q(it->second);
}

QString IncidentEditor::referralForcingFlags() const
{
    QStringList flags;
    if (m_open && m_rules)
        for (const auto& name : m_rules->automaticMaracFlags)
            if (incidentFlagSet(m_incident.flags, name))
                flags << q(flagLabel(name));
    return flags.join(QStringLiteral(", "));
}

void IncidentEditor::setQaDraft(const QString& text)
{
    if (text == m_qaDraft)
        return;
    m_qaDraft = text;
    emit qaDraftChanged();
}

void IncidentEditor::addFieldNote(const QString& path, const QString& note)
{
    const QString text = note.simplified();
    if (path.isEmpty() || !reviewable())
        return;
    QStringList lines = m_qaDraft.split(QLatin1Char('\n'));
    const QString prefix = path + QLatin1Char(':');
    lines.erase(std::remove_if(lines.begin(), lines.end(),
                               [&](const QString& l) { return l.trimmed().startsWith(prefix) || l.trimmed().isEmpty(); }),
                lines.end());
    if (!text.isEmpty())
        lines << prefix + QLatin1Char(' ') + text;
    setQaDraft(lines.join(QLatin1Char('\n')));
}

QString IncidentEditor::draftNoteFor(const QString& path) const
{
    if (m_qaDraft.isEmpty())
        return {};
    const auto notes = fieldNotesIn(m_qaDraft.toStdString());
    const auto it = notes.find(path.toStdString());
    return it == notes.end() ? QString() : q(it->second);
}

QVariantList IncidentEditor::notesForSection(int section) const
{
    QVariantList out;
    for (const auto& [path, note] : m_fieldNotes) {
        const QVariantMap at = locate(q(path));
        const int victim = at.value(QStringLiteral("victim")).toInt();
        if (at.value(QStringLiteral("section")).toInt() != section)
            continue;
        if (victim >= 0 && victim != m_currentVictim && section != VictimsSection)
            continue;
        out << QVariantMap{{QStringLiteral("field"), q(path)}, {QStringLiteral("note"), q(note)}};
    }
    return out;
}

// --- evidence ---

void IncidentEditor::refreshAttachments()
{
    if (!m_worker || !m_open)
        return;
    RecordsAccess* access = m_access;
    const std::string incidentId = m_incident.id;
    const quint64 generation = m_generation;
    m_worker->run(
        this,
        [access, incidentId]() {
            std::vector<AttachmentRow> rows;
            (void)access->withRecords([&](RecordStore& store) -> Status {
                AttachmentRepository photos(store);
                auto list = photos.list(incidentId);
                if (!list)
                    return std::move(list).error();
                for (const auto& info : *list) {
                    AttachmentRow row{q(info.id), q(info.caption), q(info.mimeType), info.size, {}};
                    // Decoded in memory, scaled down, re-encoded in memory: never a file.
                    if (auto bytes = photos.read(access->actor(), info.id)) {
                        QImage image = QImage::fromData(bytes->data(), static_cast<int>(bytes->size()));
                        if (!image.isNull()) {
                            image = image.scaled(kThumbnailPixels, kThumbnailPixels, Qt::KeepAspectRatio,
                                                 Qt::SmoothTransformation);
                            QByteArray png;
                            QBuffer buffer(&png);
                            buffer.open(QIODevice::WriteOnly);
                            image.save(&buffer, "PNG");
                            row.thumbnail = QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
                        }
                    }
                    rows.push_back(std::move(row));
                }
                return {};
            });
            return rows;
        },
        [this, generation](std::vector<AttachmentRow> rows) {
            if (generation != m_generation)
                return;
            m_attachments.setRows(std::move(rows));
            emit attachmentsRefreshed();
        });
}

QByteArray encodeCapturedPhoto(const QImage& image)
{
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(kCapturedPhotoQuality);
    if (image.isNull() || !writer.write(image))
        return {};
    return jpeg;
}

void IncidentEditor::addPhoto(const QUrl& file, const QString& caption)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    importPhoto(
        [path]() -> Result<QByteArray> {
            QFile in(path);
            const AttachmentLimits limits;
            if (QFileInfo(path).size() > static_cast<qint64>(limits.maxFileBytes) * 2)
                return makeError(ErrorCode::InvalidArgument,
                                 tr("That file is too large for a photo (over %1 MB). Choose a smaller photo.")
                                     .arg(limits.maxFileBytes / (1024 * 1024))
                                     .toStdString());
            if (!in.open(QIODevice::ReadOnly))
                return makeError(ErrorCode::Io,
                                 tr("Vigil could not read that file (%1). Check it is still there and choose it again.")
                                     .arg(in.errorString())
                                     .toStdString());
            return in.readAll();
        },
        caption);
}

void IncidentEditor::addCapturedPhoto(const QImage& image, const QString& caption)
{
    // QImage is implicitly shared and safe to copy across threads: the JPEG is made on the
    // worker, in memory, so a large frame does not stall the screen.
    importPhoto(
        [image]() -> Result<QByteArray> {
            QByteArray jpeg = encodeCapturedPhoto(image);
            if (jpeg.isEmpty())
                return makeError(ErrorCode::InvalidArgument,
                                 tr("The camera gave Vigil a picture it could not read. Take the photo again, or add "
                                    "it from a file.")
                                     .toStdString());
            return jpeg;
        },
        caption);
}

void IncidentEditor::importPhoto(std::function<Result<QByteArray>()> readPhoto, const QString& caption)
{
    if (!editable() || !m_worker)
        return;
    RecordsAccess* access = m_access;
    const std::string incidentId = m_incident.id;
    const quint64 generation = m_generation;
    const std::string text = caption.toStdString();
    m_worker->run(
        this,
        [access, incidentId, readPhoto = std::move(readPhoto), text]() -> std::optional<QString> {
            auto data = readPhoto();
            if (!data)
                return q(data.error().message);
            const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(data->constData()),
                                                      static_cast<std::size_t>(data->size()));
            // The one way in for every photo: the core's sanitiser (metadata removed) and the
            // encrypted, chunked store.
            Status s = access->withRecords([&](RecordStore& store) -> Status {
                auto id = AttachmentRepository(store).import(access->actor(), incidentId, bytes, text);
                if (!id)
                    return std::move(id).error();
                return {};
            });
            if (!s.ok())
                return q(s.error().message);
            access->changed();
            return std::nullopt;
        },
        [this, generation](std::optional<QString> error) {
            if (generation != m_generation)
                return;
            if (error)
                setMessage(*error);
            else
                setMessage({});
            refreshAttachments();
        });
}

void IncidentEditor::removePhoto(const QString& attachmentId)
{
    if (!editable() || !m_worker)
        return;
    RecordsAccess* access = m_access;
    const std::string id = attachmentId.toStdString();
    const quint64 generation = m_generation;
    m_worker->run(
        this,
        [access, id]() -> std::optional<QString> {
            Status s = access->withRecords(
                [&](RecordStore& store) -> Status { return AttachmentRepository(store).remove(access->actor(), id); });
            if (!s.ok())
                return q(s.error().message);
            access->changed();
            return std::nullopt;
        },
        [this, generation](std::optional<QString> error) {
            if (generation != m_generation)
                return;
            if (error)
                setMessage(*error);
            refreshAttachments();
        });
}

}  // namespace vigil::app
