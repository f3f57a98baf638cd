#pragma once

// Shared fixtures for the risk suite: the shipped models and rules, and a complete,
// submittable 124D that each test changes in one respect.

#include <chrono>
#include <stdexcept>
#include <string>

#include "core/domain/Incident.h"
#include "core/risk/Dates.h"
#include "core/risk/History.h"
#include "core/risk/RiskEngine.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"

namespace vigil::test {

inline const RiskModelRegistry& shippedModels()
{
    static const RiskModelRegistry registry = [] {
        auto r = RiskModelRegistry::loadDirectory(VIGIL_RISK_MODEL_DIR);
        if (!r.ok())
            throw std::runtime_error(r.error().message);
        return std::move(*r);
    }();
    return registry;
}

inline const RulesConfig& defaultRules()
{
    static const RulesConfig rules = [] {
        auto r = loadRulesConfigFile(std::string{VIGIL_RISK_MODEL_DIR} + "/rules-default.json");
        if (!r.ok())
            throw std::runtime_error(r.error().message);
        return std::move(*r);
    }();
    return rules;
}

inline std::chrono::sys_days day(const char* iso)
{
    const auto d = parseIsoDate(iso);
    if (!d)
        throw std::invalid_argument(iso);
    return *d;
}

inline std::chrono::sys_seconds at(const char* iso)
{
    const auto t = parseIsoDateTime(iso);
    if (!t)
        throw std::invalid_argument(iso);
    return *t;
}

/// Answers every main question of DASH 2009 v1.0 No, then the first `yes` questions Yes.
inline DashAssessment dashWithYes(int yes)
{
    DashAssessment a;
    a.modelId = "dash-2009";
    a.modelVersion = "1.0";
    for (int n = 1; n <= 27; ++n)
        a.answers["q" + std::to_string(n)].value = n <= yes ? AnswerValue::Yes : AnswerValue::No;
    return a;
}

inline Person mary()
{
    Person p;
    p.name = "Mary-Ann O'Neil";
    p.dateOfBirth = "1980-04-02";
    p.address = Address{"Flat 2, 14 Mare Street", "14", "E8 1AB"};
    return p;
}

/// A complete non-crime 124D with one Standard-risk victim that passes submission.
inline Incident completeIncident()
{
    Incident inc;
    inc.id = "INC-1";
    inc.date = "2010-03-12";
    inc.crime = false;
    inc.refs.cad = "1234/12MAR10";
    inc.positiveAction.powerOfArrest = false;
    inc.positiveAction.arrestMade = false;
    Victim v;
    v.id = "V1";
    v.person = mary();
    v.safeContact = SafeContact{true, true, false, false, true, "after 6pm", "ex-partner"};
    v.dash = dashWithYes(3);
    v.officerGrade.grade = RiskGrade::Standard;
    inc.victims.push_back(v);
    Suspect s;
    s.id = "S1";
    s.person.name = "John Smith";
    inc.suspects.push_back(s);
    return inc;
}

/// An empty history as a device that last synced at 14:32 on the incident day sees it.
inline History deviceHistory()
{
    History h;
    h.source.description = "this device";
    h.source.lastSynced = at("2010-03-12T14:32:00Z");
    return h;
}

inline HistoryIncident pastIncident(const char* id, const char* date, Person victim = mary())
{
    HistoryIncident h;
    h.id = id;
    h.date = day(date);
    h.victims.push_back(std::move(victim));
    return h;
}

/// The moment the tests run "now": the evening of the standard incident.
inline std::chrono::sys_seconds testNow()
{
    return at("2010-03-12T18:00:00Z");
}

}  // namespace vigil::test
