#include "core/domain/Incident.h"

#include <algorithm>
#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace vigil {

using nlohmann::json;

namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<AnswerValue, 4> kAnswerNames{{{AnswerValue::Yes, "yes"},
                                                  {AnswerValue::No, "no"},
                                                  {AnswerValue::DontKnow, "dont_know"},
                                                  {AnswerValue::NotAsked, "not_asked"}}};
constexpr NameTable<RiskGrade, 3> kGradeNames{
    {{RiskGrade::Standard, "standard"}, {RiskGrade::Medium, "medium"}, {RiskGrade::High, "high"}}};
constexpr NameTable<MaracDecisionKind, 3> kDecisionNames{{{MaracDecisionKind::Undecided, "undecided"},
                                                          {MaracDecisionKind::Refer, "refer"},
                                                          {MaracDecisionKind::NotRefer, "not_refer"}}};
constexpr NameTable<RaraKind, 4> kRaraNames{{{RaraKind::Remove, "remove"},
                                             {RaraKind::Avoid, "avoid"},
                                             {RaraKind::Reduce, "reduce"},
                                             {RaraKind::Accept, "accept"}}};
constexpr NameTable<LifecycleState, 6> kStateNames{{{LifecycleState::Draft, "draft"},
                                                    {LifecycleState::Submitted, "submitted"},
                                                    {LifecycleState::Returned, "returned"},
                                                    {LifecycleState::Approved, "approved"},
                                                    {LifecycleState::UnderInvestigation, "under_investigation"},
                                                    {LifecycleState::Closed, "closed"}}};

template <typename Enum, std::size_t N>
std::string_view nameOf(const NameTable<Enum, N>& table, Enum value) noexcept
{
    for (const auto& [e, name] : table)
        if (e == value)
            return name;
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueOf(const NameTable<Enum, N>& table, std::string_view text) noexcept
{
    for (const auto& [e, name] : table)
        if (name == text)
            return e;
    return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string allowedNames(const NameTable<Enum, N>& table)
{
    std::string out;
    for (const auto& [e, name] : table) {
        if (!out.empty())
            out += ", ";
        out += name;
    }
    return out;
}

std::string typeName(const json& value)
{
    return value.type_name();
}

/// Reads a JSON object into the value types, remembering the first problem with its field
/// path. Fields that are absent keep their defaults: a draft may be incomplete.
class Reader {
public:
    [[nodiscard]] bool ok() const noexcept { return !m_error.has_value(); }
    [[nodiscard]] Error takeError() { return std::move(*m_error); }

    void fail(const std::string& path, std::string problem)
    {
        if (!m_error)
            m_error = makeError(ErrorCode::InvalidArgument,
                                "The record is damaged at " + path + ": " + std::move(problem)
                                    + ". Re-enter this field; if it keeps happening, report it to your administrator.",
                                path);
    }

    /// The member `key` if present and not null, else nullptr.
    const json* member(const json& object, const char* key)
    {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null())
            return nullptr;
        return &*it;
    }

    bool expectObject(const json& value, const std::string& path)
    {
        if (!value.is_object()) {
            fail(path, "expected an object but found " + typeName(value));
            return false;
        }
        return true;
    }

    void text(const json& object, const char* key, std::string& out, const std::string& path)
    {
        if (const json* v = member(object, key)) {
            if (v->is_string())
                out = v->get<std::string>();
            else
                fail(join(path, key), "expected text but found " + typeName(*v));
        }
    }

    void flag(const json& object, const char* key, bool& out, const std::string& path)
    {
        if (const json* v = member(object, key)) {
            if (v->is_boolean())
                out = v->get<bool>();
            else
                fail(join(path, key), "expected true or false but found " + typeName(*v));
        }
    }

    void optionalFlag(const json& object, const char* key, std::optional<bool>& out, const std::string& path)
    {
        if (const json* v = member(object, key)) {
            if (v->is_boolean())
                out = v->get<bool>();
            else
                fail(join(path, key), "expected true or false but found " + typeName(*v));
        }
    }

    void optionalInt(const json& object, const char* key, std::optional<int>& out, const std::string& path)
    {
        if (const json* v = member(object, key)) {
            if (v->is_number_integer() && v->get<long long>() >= -100000 && v->get<long long>() <= 100000)
                out = v->get<int>();
            else
                fail(join(path, key), "expected a whole number but found " + typeName(*v));
        }
    }

    void textList(const json& object, const char* key, std::vector<std::string>& out, const std::string& path)
    {
        if (const json* v = member(object, key)) {
            if (!v->is_array()) {
                fail(join(path, key), "expected a list but found " + typeName(*v));
                return;
            }
            for (std::size_t i = 0; i < v->size(); ++i) {
                const json& item = (*v)[i];
                if (!item.is_string()) {
                    fail(join(path, key) + "[" + std::to_string(i) + "]", "expected text but found " + typeName(item));
                    return;
                }
                out.push_back(item.get<std::string>());
            }
        }
    }

    template <typename Enum, std::size_t N>
    void enumValue(const json& object, const char* key, const NameTable<Enum, N>& table, Enum& out,
                   const std::string& path)
    {
        if (const json* v = member(object, key)) {
            if (!v->is_string()) {
                fail(join(path, key), "expected one of " + allowedNames(table) + " but found " + typeName(*v));
                return;
            }
            if (const auto e = valueOf(table, v->get<std::string>()))
                out = *e;
            else
                fail(join(path, key),
                     "\"" + v->get<std::string>() + "\" is not one of " + allowedNames(table));
        }
    }

    template <typename Enum, std::size_t N>
    void optionalEnum(const json& object, const char* key, const NameTable<Enum, N>& table,
                      std::optional<Enum>& out, const std::string& path)
    {
        if (member(object, key) == nullptr)
            return;
        Enum value{};
        enumValue(object, key, table, value, path);
        if (ok())
            out = value;
    }

    static std::string join(const std::string& path, const char* key)
    {
        return path.empty() ? std::string{key} : path + "." + key;
    }

    static std::string index(const std::string& path, std::size_t i)
    {
        return path + "[" + std::to_string(i) + "]";
    }

private:
    std::optional<Error> m_error;
};

void readAddress(Reader& r, const json& j, Address& a, const std::string& path)
{
    if (!r.expectObject(j, path))
        return;
    r.text(j, "line", a.line, path);
    r.text(j, "house", a.houseNumberOrName, path);
    r.text(j, "postcode", a.postcode, path);
}

void readPerson(Reader& r, const json& j, Person& p, const std::string& path)
{
    if (!r.expectObject(j, path))
        return;
    r.text(j, "name", p.name, path);
    r.text(j, "date_of_birth", p.dateOfBirth, path);
    r.text(j, "phone", p.phone, path);
    if (const json* a = r.member(j, "address"))
        readAddress(r, *a, p.address, Reader::join(path, "address"));
    if (const json* d = r.member(j, "diversity"); d && r.expectObject(*d, Reader::join(path, "diversity"))) {
        const std::string dp = Reader::join(path, "diversity");
        r.text(*d, "age_band", p.diversity.ageBand, dp);
        r.text(*d, "gender", p.diversity.gender, dp);
        r.text(*d, "ethnicity", p.diversity.ethnicity, dp);
        r.text(*d, "disability", p.diversity.disability, dp);
        r.text(*d, "religion", p.diversity.religion, dp);
        r.text(*d, "sexual_orientation", p.diversity.sexualOrientation, dp);
    }
}

void readAnswer(Reader& r, const json& j, Answer& a, const std::string& path)
{
    // Shorthand "q1": "yes" keeps scenario files and hand-written records readable.
    if (j.is_string()) {
        if (const auto v = valueOf(kAnswerNames, j.get<std::string>()))
            a.value = *v;
        else
            r.fail(path, "\"" + j.get<std::string>() + "\" is not one of " + allowedNames(kAnswerNames));
        return;
    }
    if (!r.expectObject(j, path))
        return;
    if (r.member(j, "answer") == nullptr) {
        r.fail(Reader::join(path, "answer"), "the answer is missing");
        return;
    }
    r.enumValue(j, "answer", kAnswerNames, a.value, path);
    r.text(j, "note", a.note, path);
    r.text(j, "source", a.source, path);
    r.text(j, "reason", a.reason, path);
    r.textList(j, "options", a.options, path);
}

void readVictim(Reader& r, const json& j, Victim& v, const std::string& path)
{
    if (!r.expectObject(j, path))
        return;
    r.text(j, "id", v.id, path);
    r.text(j, "relationship", v.relationship, path);
    if (const json* p = r.member(j, "person"))
        readPerson(r, *p, v.person, Reader::join(path, "person"));
    if (const json* s = r.member(j, "safe_contact"); s && r.expectObject(*s, Reader::join(path, "safe_contact"))) {
        const std::string sp = Reader::join(path, "safe_contact");
        r.optionalFlag(*s, "phone", v.safeContact.phone, sp);
        r.optionalFlag(*s, "text", v.safeContact.text, sp);
        r.optionalFlag(*s, "voicemail", v.safeContact.voicemail, sp);
        r.optionalFlag(*s, "email", v.safeContact.email, sp);
        r.optionalFlag(*s, "visit", v.safeContact.visit, sp);
        r.text(*s, "safe_times", v.safeContact.safeTimes, sp);
        r.text(*s, "afraid_of", v.safeContact.afraidOf, sp);
    }
    if (const json* c = r.member(j, "consent"); c && r.expectObject(*c, Reader::join(path, "consent"))) {
        const std::string cp = Reader::join(path, "consent");
        r.optionalFlag(*c, "share_with_partners", v.consent.shareWithPartners, cp);
        r.optionalFlag(*c, "marac_referral", v.consent.maracReferral, cp);
        r.optionalFlag(*c, "medical_records", v.consent.medicalRecords, cp);
        r.text(*c, "lawful_basis", v.consent.lawfulBasis, cp);
        r.text(*c, "justification", v.consent.justification, cp);
    }
    if (const json* d = r.member(j, "dash"); d && r.expectObject(*d, Reader::join(path, "dash"))) {
        const std::string dp = Reader::join(path, "dash");
        r.text(*d, "model", v.dash.modelId, dp);
        r.text(*d, "model_version", v.dash.modelVersion, dp);
        if (const json* answers = r.member(*d, "answers"); answers && r.expectObject(*answers, dp)) {
            for (const auto& [id, value] : answers->items()) {
                Answer a;
                readAnswer(r, value, a, Reader::join(dp, id.c_str()));
                v.dash.answers.emplace(id, std::move(a));
            }
        }
    }
    if (const json* g = r.member(j, "grade"); g && r.expectObject(*g, Reader::join(path, "grade"))) {
        const std::string gp = Reader::join(path, "grade");
        r.optionalEnum(*g, "officer", kGradeNames, v.officerGrade.grade, gp);
        r.text(*g, "officer_reason", v.officerGrade.reason, gp);
        r.text(*g, "officer_by", v.officerGrade.by, gp);
        r.optionalEnum(*g, "supervisor", kGradeNames, v.supervisorGrade.grade, gp);
        r.text(*g, "supervisor_reason", v.supervisorGrade.reason, gp);
        r.text(*g, "supervisor_by", v.supervisorGrade.by, gp);
    }
    if (const json* m = r.member(j, "marac"); m && r.expectObject(*m, Reader::join(path, "marac"))) {
        const std::string mp = Reader::join(path, "marac");
        r.enumValue(*m, "decision", kDecisionNames, v.marac.decision, mp);
        r.text(*m, "reason", v.marac.reason, mp);
        r.flag(*m, "professional_judgement", v.marac.professionalJudgement, mp);
        r.text(*m, "professional_judgement_reason", v.marac.professionalJudgementReason, mp);
        r.enumValue(*m, "supervisor", kDecisionNames, v.marac.supervisorDecision, mp);
        r.text(*m, "supervisor_reason", v.marac.supervisorReason, mp);
        r.text(*m, "supervisor_by", v.marac.supervisorBy, mp);
    }
    if (const json* list = r.member(j, "rara")) {
        const std::string rp = Reader::join(path, "rara");
        if (!list->is_array()) {
            r.fail(rp, "expected a list but found " + typeName(*list));
            return;
        }
        for (std::size_t i = 0; i < list->size() && r.ok(); ++i) {
            const json& item = (*list)[i];
            const std::string ip = Reader::index(rp, i);
            if (!r.expectObject(item, ip))
                return;
            RaraItem rara;
            r.text(item, "id", rara.id, ip);
            r.enumValue(item, "kind", kRaraNames, rara.kind, ip);
            r.text(item, "description", rara.description, ip);
            r.text(item, "owner", rara.owner, ip);
            r.text(item, "due", rara.dueDate, ip);
            v.rara.push_back(std::move(rara));
        }
    }
}

template <typename T, typename Fn>
void readList(Reader& r, const json& j, const char* key, std::vector<T>& out, Fn readOne)
{
    const json* list = r.member(j, key);
    if (list == nullptr)
        return;
    if (!list->is_array()) {
        r.fail(key, "expected a list but found " + typeName(*list));
        return;
    }
    for (std::size_t i = 0; i < list->size() && r.ok(); ++i) {
        T item;
        readOne((*list)[i], item, Reader::index(key, i));
        out.push_back(std::move(item));
    }
}

json optionalBool(const std::optional<bool>& value)
{
    return value ? json(*value) : json(nullptr);
}

}  // namespace

std::string_view toString(AnswerValue value) noexcept { return nameOf(kAnswerNames, value); }
std::string_view toString(RiskGrade grade) noexcept { return nameOf(kGradeNames, grade); }
std::string_view toString(MaracDecisionKind decision) noexcept { return nameOf(kDecisionNames, decision); }
std::string_view toString(RaraKind kind) noexcept { return nameOf(kRaraNames, kind); }
std::string_view toString(LifecycleState state) noexcept { return nameOf(kStateNames, state); }
std::optional<AnswerValue> answerValueFromString(std::string_view text) noexcept { return valueOf(kAnswerNames, text); }
std::optional<RiskGrade> riskGradeFromString(std::string_view text) noexcept { return valueOf(kGradeNames, text); }
std::optional<MaracDecisionKind> maracDecisionFromString(std::string_view text) noexcept
{
    return valueOf(kDecisionNames, text);
}
std::optional<RaraKind> raraKindFromString(std::string_view text) noexcept { return valueOf(kRaraNames, text); }
std::optional<LifecycleState> lifecycleStateFromString(std::string_view text) noexcept
{
    return valueOf(kStateNames, text);
}

std::string_view gradeLabel(RiskGrade grade) noexcept
{
    switch (grade) {
    case RiskGrade::Standard: return "Standard";
    case RiskGrade::Medium: return "Medium";
    case RiskGrade::High: return "High";
    }
    return "Unknown";
}

bool Incident::hasChildrenInHousehold() const noexcept
{
    return std::any_of(children.begin(), children.end(), [](const Child& c) { return c.inHousehold; });
}

json personToJson(const Person& person)
{
    return json{{"name", person.name},
                {"date_of_birth", person.dateOfBirth},
                {"phone", person.phone},
                {"address",
                 {{"line", person.address.line},
                  {"house", person.address.houseNumberOrName},
                  {"postcode", person.address.postcode}}},
                {"diversity",
                 {{"age_band", person.diversity.ageBand},
                  {"gender", person.diversity.gender},
                  {"ethnicity", person.diversity.ethnicity},
                  {"disability", person.diversity.disability},
                  {"religion", person.diversity.religion},
                  {"sexual_orientation", person.diversity.sexualOrientation}}}};
}

Result<Person> personFromJson(const json& j, const std::string& path)
{
    Reader r;
    Person p;
    readPerson(r, j, p, path);
    if (!r.ok())
        return r.takeError();
    return p;
}

json incidentToJson(const Incident& incident)
{
    json victims = json::array();
    for (const Victim& v : incident.victims) {
        json answers = json::object();
        for (const auto& [id, a] : v.dash.answers) {
            if (a.note.empty() && a.source.empty() && a.reason.empty() && a.options.empty())
                answers[id] = toString(a.value);
            else
                answers[id] = json{{"answer", toString(a.value)},
                                   {"note", a.note},
                                   {"source", a.source},
                                   {"reason", a.reason},
                                   {"options", a.options}};
        }
        json rara = json::array();
        for (const RaraItem& item : v.rara)
            rara.push_back(json{{"id", item.id},
                                {"kind", toString(item.kind)},
                                {"description", item.description},
                                {"owner", item.owner},
                                {"due", item.dueDate}});
        json grade = json::object();
        if (v.officerGrade.grade)
            grade["officer"] = toString(*v.officerGrade.grade);
        grade["officer_reason"] = v.officerGrade.reason;
        grade["officer_by"] = v.officerGrade.by;
        if (v.supervisorGrade.grade)
            grade["supervisor"] = toString(*v.supervisorGrade.grade);
        // Only a supervisor's decision is written: an officer's save never names the field.
        json marac = {{"decision", toString(v.marac.decision)},
                      {"reason", v.marac.reason},
                      {"professional_judgement", v.marac.professionalJudgement},
                      {"professional_judgement_reason", v.marac.professionalJudgementReason},
                      {"supervisor_reason", v.marac.supervisorReason},
                      {"supervisor_by", v.marac.supervisorBy}};
        if (v.marac.supervisorDecision != MaracDecisionKind::Undecided)
            marac["supervisor"] = toString(v.marac.supervisorDecision);
        grade["supervisor_reason"] = v.supervisorGrade.reason;
        grade["supervisor_by"] = v.supervisorGrade.by;
        victims.push_back(json{
            {"id", v.id},
            {"person", personToJson(v.person)},
            {"relationship", v.relationship},
            {"safe_contact",
             {{"phone", optionalBool(v.safeContact.phone)},
              {"text", optionalBool(v.safeContact.text)},
              {"voicemail", optionalBool(v.safeContact.voicemail)},
              {"email", optionalBool(v.safeContact.email)},
              {"visit", optionalBool(v.safeContact.visit)},
              {"safe_times", v.safeContact.safeTimes},
              {"afraid_of", v.safeContact.afraidOf}}},
            {"consent",
             {{"share_with_partners", optionalBool(v.consent.shareWithPartners)},
              {"marac_referral", optionalBool(v.consent.maracReferral)},
              {"medical_records", optionalBool(v.consent.medicalRecords)},
              {"lawful_basis", v.consent.lawfulBasis},
              {"justification", v.consent.justification}}},
            {"dash", {{"model", v.dash.modelId}, {"model_version", v.dash.modelVersion}, {"answers", answers}}},
            {"grade", grade},
            {"marac", marac},
            {"rara", rara}});
    }
    json suspects = json::array();
    for (const Suspect& s : incident.suspects)
        suspects.push_back(json{{"id", s.id}, {"person", personToJson(s.person)}});
    json referrals = json::array();
    for (const Referral& ref : incident.referrals)
        referrals.push_back(json{{"id", ref.id},
                                 {"victim", ref.victimId},
                                 {"agency", ref.agency},
                                 {"to_user", ref.toUser},
                                 {"date", ref.date},
                                 {"notes", ref.notes}});
    json children = json::array();
    for (const Child& c : incident.children)
        children.push_back(json{{"id", c.id},
                                {"name", c.name},
                                {"age", c.age ? json(*c.age) : json(nullptr)},
                                {"in_household", c.inHousehold},
                                {"present", c.present}});
    return json{
        {"id", incident.id},
        {"state", toString(incident.state)},
        {"refs",
         {{"cad", incident.refs.cad},
          {"cris", incident.refs.cris},
          {"crimint", incident.refs.crimint},
          {"merlin_pac", incident.refs.merlinPac}}},
        {"incident",
         {{"date", incident.date},
          {"location", incident.location},
          {"borough", incident.borough},
          {"team", incident.team},
          {"owner", incident.owner},
          {"officers", incident.officers},
          {"crime", optionalBool(incident.crime)},
          {"offences", incident.offences}}},
        {"positive_action",
         {{"power_of_arrest", optionalBool(incident.positiveAction.powerOfArrest)},
          {"arrest_made", optionalBool(incident.positiveAction.arrestMade)},
          {"no_arrest_justification", incident.positiveAction.noArrestJustification}}},
        {"victims", victims},
        {"suspects", suspects},
        {"children", children},
        {"flags",
         {{"repeat_victim", incident.flags.repeatVictim},
          {"hbv", incident.flags.hbv},
          {"forced_marriage", incident.flags.forcedMarriage},
          {"fgm", incident.flags.fgm},
          {"stalking", incident.flags.stalking},
          {"police_staff_involved", incident.flags.policeStaffInvolved},
          {"disability", incident.flags.disability},
          {"lgbt", incident.flags.lgbt},
          {"serious_sexual_offence", incident.flags.seriousSexualOffence}}},
        {"counter_allegation",
         {{"present", incident.counterAllegation.present},
          {"primary_aggressor_note", incident.counterAllegation.primaryAggressorNote}}},
        {"access_list", incident.accessList},
        {"restriction", {{"reason", incident.restrictionReason}}},
        {"investigation",
         {{"officer_in_case", incident.investigation.officerInCase},
          {"officer_in_case_name", incident.investigation.officerInCaseName},
          {"allocated_by", incident.investigation.allocatedBy},
          {"allocated_at", incident.investigation.allocatedAt}}},
        {"outcome",
         {{"result", incident.outcome.result},
          {"decided_on", incident.outcome.decidedOn},
          {"court_result", incident.outcome.courtResult},
          {"court_on", incident.outcome.courtOn},
          {"arrested_later", optionalBool(incident.outcome.arrestedLater)},
          {"arrested_on", incident.outcome.arrestedOn},
          {"da_homicide", incident.outcome.daHomicide},
          {"note", incident.outcome.note},
          {"recorded_by", incident.outcome.recordedBy},
          {"recorded_at", incident.outcome.recordedAt}}},
        {"evidence",
         {{"first_account", optionalBool(incident.evidence.firstAccount)},
          {"statement", optionalBool(incident.evidence.statement)},
          {"photos_injuries", optionalBool(incident.evidence.photosInjuries)},
          {"photos_scene", optionalBool(incident.evidence.photosScene)},
          {"early_evidence_kit", optionalBool(incident.evidence.earlyEvidenceKit)},
          {"body_worn_video", optionalBool(incident.evidence.bodyWornVideo)},
          {"medical_consent", optionalBool(incident.evidence.medicalConsent)},
          {"tape_999", optionalBool(incident.evidence.tape999)},
          {"notes", incident.evidence.notes}}},
        {"referrals", referrals}};
}

Result<Incident> incidentFromJson(const json& j)
{
    Reader r;
    Incident inc;
    if (!j.is_object())
        return makeError(ErrorCode::InvalidArgument,
                         "The record is not a 124D (expected a JSON object): open it again from the list, "
                         "or report it to your administrator.");
    r.text(j, "id", inc.id, "");
    r.enumValue(j, "state", kStateNames, inc.state, "");
    if (const json* refs = r.member(j, "refs"); refs && r.expectObject(*refs, "refs")) {
        r.text(*refs, "cad", inc.refs.cad, "refs");
        r.text(*refs, "cris", inc.refs.cris, "refs");
        r.text(*refs, "crimint", inc.refs.crimint, "refs");
        r.text(*refs, "merlin_pac", inc.refs.merlinPac, "refs");
    }
    if (const json* d = r.member(j, "incident"); d && r.expectObject(*d, "incident")) {
        r.text(*d, "date", inc.date, "incident");
        r.text(*d, "location", inc.location, "incident");
        r.text(*d, "borough", inc.borough, "incident");
        r.text(*d, "team", inc.team, "incident");
        r.text(*d, "owner", inc.owner, "incident");
        r.textList(*d, "officers", inc.officers, "incident");
        r.optionalFlag(*d, "crime", inc.crime, "incident");
        r.textList(*d, "offences", inc.offences, "incident");
    }
    if (const json* pa = r.member(j, "positive_action"); pa && r.expectObject(*pa, "positive_action")) {
        r.optionalFlag(*pa, "power_of_arrest", inc.positiveAction.powerOfArrest, "positive_action");
        r.optionalFlag(*pa, "arrest_made", inc.positiveAction.arrestMade, "positive_action");
        r.text(*pa, "no_arrest_justification", inc.positiveAction.noArrestJustification, "positive_action");
    }
    readList<Victim>(r, j, "victims", inc.victims,
                     [&r](const json& item, Victim& v, const std::string& path) { readVictim(r, item, v, path); });
    readList<Suspect>(r, j, "suspects", inc.suspects, [&r](const json& item, Suspect& s, const std::string& path) {
        if (!r.expectObject(item, path))
            return;
        r.text(item, "id", s.id, path);
        if (const json* p = r.member(item, "person"))
            readPerson(r, *p, s.person, Reader::join(path, "person"));
    });
    readList<Child>(r, j, "children", inc.children, [&r](const json& item, Child& c, const std::string& path) {
        if (!r.expectObject(item, path))
            return;
        r.text(item, "id", c.id, path);
        r.text(item, "name", c.name, path);
        r.optionalInt(item, "age", c.age, path);
        r.flag(item, "in_household", c.inHousehold, path);
        r.flag(item, "present", c.present, path);
    });
    if (const json* f = r.member(j, "flags"); f && r.expectObject(*f, "flags")) {
        r.flag(*f, "repeat_victim", inc.flags.repeatVictim, "flags");
        r.flag(*f, "hbv", inc.flags.hbv, "flags");
        r.flag(*f, "forced_marriage", inc.flags.forcedMarriage, "flags");
        r.flag(*f, "fgm", inc.flags.fgm, "flags");
        r.flag(*f, "stalking", inc.flags.stalking, "flags");
        r.flag(*f, "police_staff_involved", inc.flags.policeStaffInvolved, "flags");
        r.flag(*f, "disability", inc.flags.disability, "flags");
        r.flag(*f, "lgbt", inc.flags.lgbt, "flags");
        r.flag(*f, "serious_sexual_offence", inc.flags.seriousSexualOffence, "flags");
    }
    if (const json* ca = r.member(j, "counter_allegation"); ca && r.expectObject(*ca, "counter_allegation")) {
        r.flag(*ca, "present", inc.counterAllegation.present, "counter_allegation");
        r.text(*ca, "primary_aggressor_note", inc.counterAllegation.primaryAggressorNote, "counter_allegation");
    }
    r.textList(j, "access_list", inc.accessList, "");
    if (const json* rs = r.member(j, "restriction"); rs && r.expectObject(*rs, "restriction"))
        r.text(*rs, "reason", inc.restrictionReason, "restriction");
    if (const json* iv = r.member(j, "investigation"); iv && r.expectObject(*iv, "investigation")) {
        r.text(*iv, "officer_in_case", inc.investigation.officerInCase, "investigation");
        r.text(*iv, "officer_in_case_name", inc.investigation.officerInCaseName, "investigation");
        r.text(*iv, "allocated_by", inc.investigation.allocatedBy, "investigation");
        r.text(*iv, "allocated_at", inc.investigation.allocatedAt, "investigation");
    }
    if (const json* o = r.member(j, "outcome"); o && r.expectObject(*o, "outcome")) {
        r.text(*o, "result", inc.outcome.result, "outcome");
        r.text(*o, "decided_on", inc.outcome.decidedOn, "outcome");
        r.text(*o, "court_result", inc.outcome.courtResult, "outcome");
        r.text(*o, "court_on", inc.outcome.courtOn, "outcome");
        r.optionalFlag(*o, "arrested_later", inc.outcome.arrestedLater, "outcome");
        r.text(*o, "arrested_on", inc.outcome.arrestedOn, "outcome");
        r.flag(*o, "da_homicide", inc.outcome.daHomicide, "outcome");
        r.text(*o, "note", inc.outcome.note, "outcome");
        r.text(*o, "recorded_by", inc.outcome.recordedBy, "outcome");
        r.text(*o, "recorded_at", inc.outcome.recordedAt, "outcome");
    }
    if (const json* e = r.member(j, "evidence"); e && r.expectObject(*e, "evidence")) {
        r.optionalFlag(*e, "first_account", inc.evidence.firstAccount, "evidence");
        r.optionalFlag(*e, "statement", inc.evidence.statement, "evidence");
        r.optionalFlag(*e, "photos_injuries", inc.evidence.photosInjuries, "evidence");
        r.optionalFlag(*e, "photos_scene", inc.evidence.photosScene, "evidence");
        r.optionalFlag(*e, "early_evidence_kit", inc.evidence.earlyEvidenceKit, "evidence");
        r.optionalFlag(*e, "body_worn_video", inc.evidence.bodyWornVideo, "evidence");
        r.optionalFlag(*e, "medical_consent", inc.evidence.medicalConsent, "evidence");
        r.optionalFlag(*e, "tape_999", inc.evidence.tape999, "evidence");
        r.text(*e, "notes", inc.evidence.notes, "evidence");
    }
    readList<Referral>(r, j, "referrals", inc.referrals, [&r](const json& item, Referral& ref, const std::string& path) {
        if (!r.expectObject(item, path))
            return;
        r.text(item, "id", ref.id, path);
        r.text(item, "victim", ref.victimId, path);
        r.text(item, "agency", ref.agency, path);
        r.text(item, "to_user", ref.toUser, path);
        r.text(item, "date", ref.date, path);
        r.text(item, "notes", ref.notes, path);
    });
    if (!r.ok())
        return r.takeError();
    return inc;
}

}  // namespace vigil
