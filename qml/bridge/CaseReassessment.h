#pragma once

#include <QObject>
#include <QString>
#include <QVariantList>
#include <QVariantMap>
#include <qqmlintegration.h>

#include <memory>

#include "core/casework/Case.h"
#include "core/risk/RiskModel.h"

namespace vigil::app {

class CaseView;

/// Re-assessing the victim's risk on the case open on screen (issue 24): the checklist asked
/// again in full — the partner agencies' RIC for an IDVA, the DASH for the officer in the case —
/// as a new assessment, never an edit of the officer's 124D. The answers are held here until
/// saved; the band is worked out by the core as they are given; saving goes through the case
/// (CaseRepository::addReassessment, checked again by the server).
class CaseReassessment : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The re-assessment belongs to Casework")
    Q_PROPERTY(bool active READ active NOTIFY changed)
    /// The checklist's name ("SafeLives DASH RIC (24 questions)").
    Q_PROPERTY(QString checklist READ checklist NOTIFY changed)
    /// Main questions in order: {id, number, text, help}. The same list until the next start, so
    /// a screen's rows stay put while answers are given.
    Q_PROPERTY(QVariantList questions READ questions NOTIFY questionsChanged)
    /// The answers given so far: question id -> "yes", "no" or "dont_know".
    Q_PROPERTY(QVariantMap answers READ answers NOTIFY changed)
    Q_PROPERTY(int answered READ answered NOTIFY changed)
    Q_PROPERTY(int total READ total NOTIFY changed)
    /// "15 yes: High (14 or more)", or what is still to answer.
    Q_PROPERTY(QString bandWords READ bandWords NOTIFY changed)
    /// The band the answers give now ("standard", "medium", "high"; "" before any answer).
    Q_PROPERTY(QString band READ band NOTIFY changed)
    Q_PROPERTY(QString message READ message NOTIFY changed)

public:
    explicit CaseReassessment(CaseView* view, QObject* parent = nullptr);

    /// The installed checklists, read on the store worker by Casework (never on this thread).
    void setModels(std::shared_ptr<const RiskModelRegistry> models) { m_models = std::move(models); }
    [[nodiscard]] std::shared_ptr<const RiskModelRegistry> models() const { return m_models; }

    /// Start a re-assessment of the open case with the checklist for its kind of case.
    Q_INVOKABLE void start();
    Q_INVOKABLE void cancel();
    /// Answer question `id`: "yes", "no" or "dont_know".
    Q_INVOKABLE void setAnswer(const QString& id, const QString& value);
    /// Save it, with the assessor's grade ("" for the band as it stands; "medium", "high") and
    /// the reason for a grade above the band.
    Q_INVOKABLE void save(const QString& grade, const QString& reason);

    [[nodiscard]] bool active() const { return m_model != nullptr; }
    [[nodiscard]] QString checklist() const;
    [[nodiscard]] QVariantList questions() const;
    [[nodiscard]] QVariantMap answers() const;
    [[nodiscard]] int answered() const { return static_cast<int>(m_answers.answers.size()); }
    [[nodiscard]] int total() const { return m_model ? static_cast<int>(m_model->questions.size()) : 0; }
    [[nodiscard]] QString bandWords() const;
    [[nodiscard]] QString band() const;
    [[nodiscard]] QString message() const { return m_message; }

signals:
    void changed();
    void questionsChanged();

private:
    CaseView* m_view = nullptr;
    std::shared_ptr<const RiskModelRegistry> m_models;
    const RiskModel* m_model = nullptr;  ///< the checklist being asked; nullptr when none is
    DashAssessment m_answers;
    CaseKey m_caseKey;  ///< the case it was started on
    QString m_message;
    bool m_saving = false;
};

}  // namespace vigil::app
