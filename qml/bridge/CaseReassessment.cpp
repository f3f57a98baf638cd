#include "CaseReassessment.h"

#include <chrono>

#include "CaseView.h"
#include "Words.h"
#include "core/records/CaseRepository.h"
#include "core/risk/RiskScorer.h"

namespace vigil::app {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

CaseReassessment::CaseReassessment(CaseView* view, QObject* parent) : QObject(parent), m_view(view)
{
    // Another case opened, or this one closed: a re-assessment begun on it is not carried over.
    connect(m_view, &CaseView::changed, this, [this] {
        if (m_model != nullptr && !(m_view->key() == m_caseKey))
            cancel();
    });
    connect(m_view, &CaseView::saved, this, [this] {
        if (m_saving) {
            m_saving = false;
            m_model = nullptr;
            m_answers = {};
            m_message.clear();
            emit questionsChanged();
            emit changed();
        }
    });
    // Queued: a save that worked has emitted `saved` (above) by the time this runs; one still
    // saving here was refused, in the case's words.
    connect(
        m_view, &CaseView::busyChanged, this,
        [this] {
            if (m_saving && !m_view->busy()) {
                m_saving = false;
                m_message = m_view->message();
                emit changed();
            }
        },
        Qt::QueuedConnection);
}

void CaseReassessment::start()
{
    m_message.clear();
    if (m_view->key().kind.empty()) {
        m_message = tr("Open a case first.");
        emit changed();
        return;
    }
    // An IDVA asks the partner agencies' checklist; the officer in the case the police DASH.
    const char* id = m_view->key().kind == "idva" ? "ric-safelives" : "dash-2009";
    m_model = m_models ? m_models->latest(id) : nullptr;
    if (m_model == nullptr)
        m_message = tr("The risk checklist could not be read. Reinstall Vigil.");
    m_answers = {};
    m_caseKey = m_view->key();
    if (m_model != nullptr) {
        m_answers.modelId = m_model->id;
        m_answers.modelVersion = m_model->version;
    }
    emit questionsChanged();
    emit changed();
}

void CaseReassessment::cancel()
{
    m_model = nullptr;
    m_answers = {};
    m_saving = false;
    emit questionsChanged();
    emit changed();
}

void CaseReassessment::setAnswer(const QString& id, const QString& value)
{
    if (m_model == nullptr)
        return;
    const Question* question = m_model->findQuestion(id.toStdString());
    const auto answer = answerValueFromString(value.toStdString());
    if (question == nullptr || !question->group.empty() || !answer || *answer == AnswerValue::NotAsked)
        return;
    m_answers.answers[question->id].value = *answer;
    m_message.clear();  // a refusal said what to answer; it is being answered
    emit changed();
}

void CaseReassessment::save(const QString& grade, const QString& reason)
{
    if (m_model == nullptr || m_saving || m_view->busy())
        return;
    RiskReassessment r;
    r.assessment = m_answers;
    if (!grade.isEmpty()) {
        r.judgement.grade = riskGradeFromString(grade.toStdString());
        if (!r.judgement.grade) {
            m_message = tr("Choose a grade, or leave it as the answers give.");
            emit changed();
            return;
        }
    }
    r.judgement.reason = reason.toStdString();
    auto models = m_models;
    const CaseKey key = m_view->key();
    m_saving = true;
    m_message.clear();
    emit changed();
    m_view->change(
        [key, r, models](CaseRepository& cases, const Actor& actor) -> Status {
            auto saved = cases.addReassessment(actor, key, r, *models,
                                               std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
            return saved ? Status() : Status(saved.error());
        },
        tr("The re-assessment is saved. The grade it gives now stands for this victim; the 124D is unchanged."));
}

QString CaseReassessment::checklist() const
{
    return m_model ? q(m_model->title) : QString();
}

QVariantList CaseReassessment::questions() const
{
    QVariantList out;
    if (m_model == nullptr)
        return out;
    for (const Question& question : m_model->questions) {
        out << QVariantMap{{QStringLiteral("id"), q(question.id)},
                           {QStringLiteral("number"), question.number},
                           {QStringLiteral("text"), q(question.text)},
                           {QStringLiteral("help"), q(question.help)}};
    }
    return out;
}

QVariantMap CaseReassessment::answers() const
{
    QVariantMap out;
    for (const auto& [id, answer] : m_answers.answers)
        out.insert(q(id), q(std::string(toString(answer.value))));
    return out;
}

QString CaseReassessment::band() const
{
    if (m_model == nullptr || m_answers.answers.empty())
        return {};
    auto score = scoreAssessment(m_answers, *m_model);
    return score ? q(std::string(toString(score->computed))) : QString();
}

QString CaseReassessment::bandWords() const
{
    if (m_model == nullptr)
        return {};
    auto score = scoreAssessment(m_answers, *m_model);
    if (!score)
        return q(score.error().message);
    const QString band = gradeWords(q(std::string(toString(score->computed))));
    if (answered() < total())
        return tr("%1 yes so far: %2. %3 of %4 questions still to answer.")
            .arg(score->yesCount)
            .arg(band)
            .arg(total() - answered())
            .arg(total());
    return tr("%1 yes: %2 (High from %3 yes).").arg(score->yesCount).arg(band).arg(m_model->highRiskThreshold());
}

}  // namespace vigil::app
