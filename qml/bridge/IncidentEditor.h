#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>

#include "core/risk/FieldChecks.h"
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QVariant>
#include <qqmlintegration.h>

#include <nlohmann/json.hpp>

#include "core/common/Result.h"
#include "core/domain/Incident.h"
#include "core/risk/AuthorityPolicy.h"
#include "core/risk/DiversityCategories.h"
#include "core/risk/History.h"
#include "core/risk/RiskModel.h"
#include "core/risk/RulesConfig.h"
#include "EditorModels.h"

class QImage;

namespace vigil::app {

class StoreWorker;
class RecordsAccess;

/// A camera frame as the JPEG bytes the photo store receives, encoded in memory (never a
/// file); empty when the frame cannot be encoded. The store's sanitiser then treats it
/// exactly like a JPEG from a file.
[[nodiscard]] QByteArray encodeCapturedPhoto(const QImage& image);

/// The 124D open in the wizard. It keeps a copy of the incident on the GUI thread for the
/// screen and the live risk panel (the core's RiskEngine, re-run after every change), and
/// sends every change to the store worker: a tap (an answer, a yes/no choice, adding a
/// victim) is saved at once, typed text within a second of the last keystroke. Each save
/// re-reads the stored incident and applies only the edited fields, so a change pulled by
/// sync meanwhile is never overwritten with a stale copy. Submitting runs the core's
/// lifecycle rules (submission validation included) and lists every problem with the
/// section and step that holds its field. Nothing here decides a rule: the core does.
class IncidentEditor : public QObject {  // not final: QML_ELEMENT may derive from it
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The open 124D belongs to the app: use AppController.editor")

    /// The open 124D's id ("" when none).
    Q_PROPERTY(QString incidentId READ incidentId NOTIFY openChanged)
    /// draft | submitted | returned | approved | under_investigation | closed
    Q_PROPERTY(QString state READ state NOTIFY openChanged)
    /// The state in words ("Submitted for review"), and Vigil's short reference ("V-3F9A2C").
    Q_PROPERTY(QString stateLabel READ stateLabel NOTIFY openChanged)
    /// A supervisor has a submitted 124D open: the decision panel shows.
    Q_PROPERTY(bool reviewable READ reviewable NOTIFY openChanged)
    Q_PROPERTY(QString reference READ reference NOTIFY openChanged)
    /// Drafts and returned 124Ds can be changed; anything else is read only here.
    Q_PROPERTY(bool editable READ editable NOTIFY openChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY openChanged)
    /// Increases on every change to the incident on screen: bindings that read value() or
    /// answer() depend on it.
    Q_PROPERTY(int revision READ revision NOTIFY revisionChanged)
    Q_PROPERTY(int victimCount READ victimCount NOTIFY revisionChanged)
    Q_PROPERTY(int suspectCount READ suspectCount NOTIFY revisionChanged)
    Q_PROPERTY(int childCount READ childCount NOTIFY revisionChanged)
    /// Referrals to partner agencies on the whole 124D (each names its victim).
    Q_PROPERTY(int referralCount READ referralCount NOTIFY revisionChanged)
    /// The victim whose DASH, grade, RARA and MARAC decision are on screen (0-based).
    Q_PROPERTY(int currentVictim READ currentVictim WRITE setCurrentVictim NOTIFY currentVictimChanged)

    /// saved | saving | failed
    Q_PROPERTY(QString saveState READ saveState NOTIFY saveStateChanged)
    /// Why the last save failed, in words, or "".
    Q_PROPERTY(QString saveMessage READ saveMessage NOTIFY saveStateChanged)
    /// Milliseconds from the last edit of the latest batch to its save being committed.
    Q_PROPERTY(double lastSaveMs READ lastSaveMs NOTIFY saveStateChanged)

    /// The current victim's DASH steps: main questions, with opened sub-questions after the
    /// question that opens them.
    Q_PROPERTY(QuestionListModel* questions READ questions CONSTANT)
    /// The problems found by the last submit, in form order.
    Q_PROPERTY(ProblemListModel* problems READ problems CONSTANT)
    Q_PROPERTY(AttachmentListModel* attachments READ attachments CONSTANT)

    /// The live risk panel for the current victim: yesCount, dontKnowCount, notAskedCount,
    /// unansweredCount, computed, effective (grade ids), specss [{id,label}], marac
    /// [{kind,reason,basis}], referralForced, repeatVictim, repeatReason, basis, error.
    Q_PROPERTY(QVariantMap risk READ risk NOTIFY riskChanged)
    /// What the device already knows about each victim, before grading: [{found,
    /// incidentsInYear, lastDate, lastGrade, maracReferrals, lastReferral, basis}].
    Q_PROPERTY(QVariantList priorHistory READ priorHistory NOTIFY priorHistoryChanged)

    /// The supervisor's QA notes on a returned 124D ("" otherwise), and who wrote them.
    Q_PROPERTY(QString reviewNote READ reviewNote NOTIFY openChanged)
    Q_PROPERTY(QString reviewBy READ reviewBy NOTIFY openChanged)
    /// The officer in the case ("" until allocated): their name, and their user id.
    Q_PROPERTY(QString officerInCase READ officerInCase NOTIFY openChanged)
    Q_PROPERTY(QString officerInCaseId READ officerInCaseId NOTIFY openChanged)

    /// A supervisor's QA notes being written for the 124D on screen (kept in memory only; sent
    /// with a return). A note on a field adds a line "field.path: note", which the officer sees
    /// beside that field.
    Q_PROPERTY(QString qaDraft READ qaDraft WRITE setQaDraft NOTIFY qaDraftChanged)

    Q_PROPERTY(bool submitting READ submitting NOTIFY submitStateChanged)
    /// The outcome of the last submit in words ("" before any).
    Q_PROPERTY(QString submitMessage READ submitMessage NOTIFY submitStateChanged)
    /// An error opening the 124D, importing a photo and the like, in words.
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)

public:
    /// The wizard's sections, in order (the QML gives them titles).
    enum Section {
        IncidentSection,
        VictimsSection,
        SuspectsSection,
        ChildrenSection,
        DashSection,
        GradeSection,
        RaraSection,
        PositiveActionSection,
        EvidenceSection,
        MaracSection,
        ReviewSection,
        SectionCount
    };
    Q_ENUM(Section)

    using Now = std::function<std::chrono::sys_seconds()>;

    /// `worker` and `access` must outlive the editor or be detached with shutdown().
    IncidentEditor(StoreWorker& worker, RecordsAccess& access, QObject* parent = nullptr, Now now = {});
    ~IncidentEditor() override;

    /// Open a 124D (loaded and audited on the worker). Anything pending is saved first.
    Q_INVOKABLE void open(const QString& id);
    /// Save what is pending and forget the incident (nothing personal stays here).
    Q_INVOKABLE void close();
    /// Save typed text now instead of after the debounce.
    Q_INVOKABLE void flush();
    /// No more work may be posted (the app is stopping). Pending text is flushed first.
    void shutdown();

    // --- reading the 124D on screen (field paths as in docs/risk-model.md) ---
    /// The value at a field path ("refs.cad", "victims[0].safe_contact.phone"): text, a
    /// bool, null when unanswered, a number.
    Q_INVOKABLE QVariant value(const QString& path) const;
    /// "victims[2]"
    Q_INVOKABLE QString victimPath(int index) const;
    /// One DASH answer: {answered, value, note, reason, source}.
    Q_INVOKABLE QVariantMap answer(int victim, const QString& questionId) const;
    /// RARA items of a victim: [{id, kind, description, owner, due}].
    Q_INVOKABLE QVariantList raraItems(int victim) const;
    /// Display name for a victim ("Victim 1" when no name is typed yet is up to QML).
    Q_INVOKABLE QString victimName(int index) const;
    /// Referrals for a victim, and any whose victim is no longer on the 124D (victim -1):
    /// [{index, id, victim, agency, date, notes, toUser}]. `index` is the place in the
    /// incident's list, as field paths name it ("referrals[index].date").
    Q_INVOKABLE QVariantList referrals(int victim) const;
    /// The diversity questions of a person (core/risk-models/rules-diversity.json), each
    /// {key, label, help, options: [{value, label}]}, in the file's order; [] until a 124D is open.
    Q_INVOKABLE QVariantList diversityQuestions() const;
    /// May this victim's details go to this partner agency ("" for any), and on what (the
    /// core's sharingBasis): {allowed, basis: none | partial | consent | marac_consent |
    /// lawful_basis, text}. The text says what the referral rests on, or what to record first.
    Q_INVOKABLE QVariantMap sharing(int victim, const QString& agency) const;
    /// The offences, one per line.
    Q_INVOKABLE QString offencesText() const;

    // --- editing ---
    /// Typed text: shown at once, saved within a second of the last keystroke.
    Q_INVOKABLE void setText(const QString& path, const QString& text);
    /// A tap (yes/no, a grade, a decision, a tick): saved at once. `value` is a bool, a
    /// string, or undefined/null to clear.
    Q_INVOKABLE void setChoice(const QString& path, const QVariant& value);
    /// A DASH answer tapped: yes | no | dont_know | not_asked, or "" to clear. Saved at once.
    Q_INVOKABLE void setAnswer(int victim, const QString& questionId, const QString& value);
    /// An answer's note, reason (Not asked) or source: debounced like all typed text.
    Q_INVOKABLE void setAnswerText(int victim, const QString& questionId, const QString& field, const QString& text);
    /// Tick or untick a sub-option (Q21, Q27). Saved at once.
    Q_INVOKABLE void setAnswerOption(int victim, const QString& questionId, const QString& optionId, bool ticked);
    Q_INVOKABLE void addVictim();
    Q_INVOKABLE void removeVictim(int index);
    Q_INVOKABLE void addSuspect();
    Q_INVOKABLE void removeSuspect(int index);
    Q_INVOKABLE void addChild();
    Q_INVOKABLE void removeChild(int index);
    /// `kind`: remove | avoid | reduce | accept
    Q_INVOKABLE void addRara(int victim, const QString& kind);
    Q_INVOKABLE void removeRara(int victim, int index);
    /// A referral of this victim to a partner agency (marac, idva, refuge, victim_support,
    /// social_services, housing, hbv_service, other), dated today. Saved at once.
    Q_INVOKABLE void addReferral(int victim, const QString& agency);
    /// Remove the referral at this place in the incident's list. Saved at once.
    Q_INVOKABLE void removeReferral(int index);
    /// The offences typed one per line (blank lines dropped): saved like typed text.
    Q_INVOKABLE void setOffences(const QString& text);
    /// Who may see the 124D once it is restricted (user ids), and setting it: a supervisor or
    /// a cleared user on the list (the authority policy; the server insists on a written reason
    /// and at least one user cleared for restricted records).
    Q_INVOKABLE QStringList accessList() const;
    Q_INVOKABLE void setAccessList(const QStringList& users);

    // --- submit, problems, QA notes ---
    /// Save, run the core's submission rules; if clean, send the submit (or resubmit)
    /// command, which syncs soon. Problems are listed in `problems`.
    Q_INVOKABLE void submit();
    /// A supervisor's decision on a submitted 124D: "approve" (the submission rules are checked
    /// again) or "return" (with `note`, at least one line: "field.path: what to put right" puts
    /// the note beside that field in the officer's wizard), or "close" an approved or allocated
    /// one (the note is the final risk review). Sent as lifecycle commands, which the server
    /// checks again. Allocating names the officer in the case: allocate().
    Q_INVOKABLE void decide(const QString& decision, const QString& note);
    /// Whether this user may make that decision on the 124D as it stands (the lifecycle
    /// table): approve / return a submitted one; allocate an approved one for investigation;
    /// close it with a final risk review.
    Q_INVOKABLE bool mayDecide(const QString& decision) const;
    /// A supervisor allocates an approved 124D for investigation to the officer in the case
    /// (`userId`, `name` from Desk.officers), with what they should do first (`note`); on an
    /// open investigation, moves it to another officer in the case (`note` may be empty).
    /// The officer named may then see the 124D (the server's access rules).
    Q_INVOKABLE void allocate(const QString& userId, const QString& name, const QString& note);
    /// May this user allocate the 124D, or move its investigation to someone else, now?
    Q_INVOKABLE bool mayAllocate() const;
    /// Where a field lives in the wizard: {section, victim, step, field}.
    Q_INVOKABLE QVariantMap locate(const QString& path) const;
    /// The flags of this 124D that force a MARAC referral under the rules ("Honour-based
    /// violence, Forced marriage"), or "" when none does.
    Q_INVOKABLE QString referralForcingFlags() const;
    /// The notes of a QA note by field path: each line that starts "field.path: …".
    [[nodiscard]] static std::map<std::string, std::string> fieldNotesIn(const std::string& note);
    /// The wizard sections (ids: "dash", "references", …) the lines of a QA note name, or
    /// {"general"} when no line names a field: what the returns per officer count.
    [[nodiscard]] std::vector<std::string> sectionsNamedIn(const std::string& note) const;
    /// A QA note line that names this field ("" when none).
    Q_INVOKABLE QString noteFor(const QString& path) const;
    /// Add a QA note on one field to the notes being written (replacing an earlier note on it).
    Q_INVOKABLE void addFieldNote(const QString& path, const QString& note);
    /// The note being written on this field, or "".
    Q_INVOKABLE QString draftNoteFor(const QString& path) const;
    /// QA note lines that name a field in this section (for the current victim): [{field, note}].
    Q_INVOKABLE QVariantList notesForSection(int section) const;

    // --- evidence ---
    /// Import a photo from a local file: EXIF and location stripped, stored encrypted.
    Q_INVOKABLE void addPhoto(const QUrl& file, const QString& caption);
    /// A photo taken with the tablet's camera (PhotoCamera), handed over in memory: encoded
    /// as a JPEG in memory and stored exactly as a photo from a file is. Never a file.
    void addCapturedPhoto(const QImage& image, const QString& caption);
    Q_INVOKABLE void removePhoto(const QString& attachmentId);

    [[nodiscard]] QString incidentId() const;
    [[nodiscard]] QString state() const;
    [[nodiscard]] QString stateLabel() const;
    [[nodiscard]] bool reviewable() const;
    [[nodiscard]] QString reference() const;
    [[nodiscard]] bool editable() const;
    /// May the signed-in user change this field of the open 124D (the authority policy, as the
    /// server will judge it)? For controls with a rule of their own, e.g. the restriction.
    Q_INVOKABLE bool mayEdit(const QString& path) const;
    /// Why not, in the policy's words ("" when the user may).
    Q_INVOKABLE QString authorityNote(const QString& path) const;
    /// What looks wrong in `text` typed into the field `path` of a known format (a date of birth
    /// in the past, a phone number, a postcode, a date), in words; "" when it looks right.
    /// Advice beside the field: the draft is saved whatever it holds.
    Q_INVOKABLE QString formatProblem(const QString& path, const QString& text) const;
    /// A typed date (and time) read back in the user's words ("Sunday, 6 December 2026 at
    /// 17:33"), "" when it is not one.
    Q_INVOKABLE QString readBackDate(const QString& iso) const;
    /// Whether formatProblem checks the field at `path`.
    Q_INVOKABLE bool hasFormat(const QString& path) const { return hasKnownFormat(path.toStdString()); }
    [[nodiscard]] QString qaDraft() const { return m_qaDraft; }
    void setQaDraft(const QString& text);
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] int revision() const { return m_revision; }
    [[nodiscard]] int victimCount() const { return static_cast<int>(m_incident.victims.size()); }
    [[nodiscard]] int suspectCount() const { return static_cast<int>(m_incident.suspects.size()); }
    [[nodiscard]] int childCount() const { return static_cast<int>(m_incident.children.size()); }
    [[nodiscard]] int referralCount() const { return static_cast<int>(m_incident.referrals.size()); }
    [[nodiscard]] int currentVictim() const { return m_currentVictim; }
    void setCurrentVictim(int index);
    [[nodiscard]] QString saveState() const { return m_saveState; }
    [[nodiscard]] QString saveMessage() const { return m_saveMessage; }
    [[nodiscard]] double lastSaveMs() const { return m_lastSaveMs; }
    [[nodiscard]] QuestionListModel* questions() { return &m_questions; }
    [[nodiscard]] ProblemListModel* problems() { return &m_problems; }
    [[nodiscard]] AttachmentListModel* attachments() { return &m_attachments; }
    [[nodiscard]] QVariantMap risk() const { return m_risk; }
    [[nodiscard]] QVariantList priorHistory() const { return m_priorHistory; }
    [[nodiscard]] QString reviewNote() const { return m_reviewNote; }
    [[nodiscard]] QString reviewBy() const { return m_reviewBy; }
    [[nodiscard]] QString officerInCase() const;
    [[nodiscard]] QString officerInCaseId() const { return QString::fromStdString(m_incident.investigation.officerInCase); }
    [[nodiscard]] bool submitting() const { return m_submitting; }
    [[nodiscard]] QString submitMessage() const { return m_submitMessage; }
    [[nodiscard]] QString message() const { return m_message; }
    /// The incident as on screen (tests).
    [[nodiscard]] const Incident& incident() const { return m_incident; }

signals:
    void openChanged();
    void revisionChanged();
    void currentVictimChanged();
    void saveStateChanged();
    /// A batch of edits reached the store: `ms` from its last edit to committed, `tap`
    /// when it held a tap (an answer or choice) rather than only typed text.
    void saved(double ms, bool tap);
    void riskChanged();
    void priorHistoryChanged();
    void submitStateChanged();
    void qaDraftChanged();
    /// The submit command was written (it reaches the station with the next sync).
    void submitted();
    void messageChanged();
    /// The photo list was read again (tests wait for it).
    void attachmentsRefreshed();

public:
    /// One part of a field path with array elements named by id, so an edit still lands on
    /// the right victim if the order changes before it is saved.
    struct Segment {
        std::string key;
        std::optional<std::string> id;  ///< set: `key` is an array, this its element's id
    };
    /// An edit waiting to be saved: a value at a path, or a change to the parts.
    struct Edit {
        std::vector<Segment> path;
        nlohmann::json value;
    };

private:
    struct Loaded;
    struct SaveBatch;

    void setSaveState(const QString& state, const QString& message = {});
    void setMessage(const QString& message);
    [[nodiscard]] std::optional<std::vector<Segment>> resolve(const QString& path) const;
    /// Apply an edit to the copy on screen; false (and a message) if it does not fit.
    bool applyLocal(const Edit& edit);
    /// A tap's edit: shown at once, saved at once (no debounce).
    void tap(Edit edit);
    void queue(Edit edit, bool tap);
    void queueAnswer(const std::string& victimId, const std::string& questionId, bool tap);
    void queueParts(bool tap);
    void changedLocally(bool historyMayChange);
    /// The problem list from a set of rule errors, each located in the wizard.
    void showProblems(const std::vector<Error>& problems);
    /// Run a lifecycle command on the worker: the core's rules, then the command (submit,
    /// approve, return), the result shown as the submit message and problem list.
    void transitionTo(LifecycleState to, const std::string& note, std::optional<Investigation> allocation = {});
    void reallocate(Investigation allocation);
    /// Once a submit has listed problems, check them again on the 124D as it now stands.
    void recheckProblems();
    /// (Re)start the typed-text timer: 700 ms after this key, but no later than 800 ms after
    /// the first key not yet saved.
    void armDebounce();
    void startSave();
    void evaluate();
    void refreshHistory();
    void refreshAttachments();
    /// Every photo's way in, from a file or the camera: `readPhoto` (run on the worker) gives
    /// the photo's bytes or why there are none; they go through the core's sanitiser into the
    /// encrypted store, and the list is read again.
    void importPhoto(std::function<Result<QByteArray>()> readPhoto, const QString& caption);
    void applyLoaded(Loaded loaded);
    void clearAll();
    [[nodiscard]] std::string currentVictimId() const;
    [[nodiscard]] const RiskModel* modelFor(const Victim& victim) const;
    void parseReviewNote();

    StoreWorker* m_worker;
    RecordsAccess* m_access;
    Now m_now;

    Incident m_incident;
    nlohmann::json m_tree;  ///< incidentToJson(m_incident): what value() reads
    bool m_open = false;
    bool m_loading = false;
    quint64 m_generation = 0;  ///< bumps on open/close: late results of an older one are dropped
    int m_revision = 0;
    int m_currentVictim = 0;

    std::shared_ptr<const RiskModelRegistry> m_models;
    std::shared_ptr<const RulesConfig> m_rules;
    std::shared_ptr<const AuthorityPolicy> m_policy;
    std::shared_ptr<const DiversityCategories> m_diversity;
    std::string m_userId;
    Role m_role = Role::Officer;
    [[nodiscard]] WriteContext writeContext() const;
    /// The record kind and field of an editor path, as the policy names them.
    [[nodiscard]] static std::pair<std::string, std::string> policyTarget(const QString& path);
    std::shared_ptr<const History> m_history;

    // Saving: edits wait here until the debounce fires (typed text) or at once (taps).
    std::vector<Edit> m_pendingFields;
    std::set<std::pair<std::string, std::string>> m_pendingAnswers;  ///< (victim id, question id)
    bool m_pendingParts = false;  ///< victims/suspects/children/RARA added or removed
    bool m_pendingTap = false;
    bool m_pendingHistory = false;
    qint64 m_pendingLastEdit = 0;
    int m_inFlight = 0;
    QTimer m_debounce;
    qint64 m_firstUnsavedText = -1;  ///< m_clock time of the first typed change not yet sent to save
    QElapsedTimer m_clock;

    QString m_saveState = QStringLiteral("saved");
    QString m_saveMessage;
    /// Words for a change held back as too long for its field ("" when none waits).
    QString m_tooLong;
    double m_lastSaveMs = 0;

    QuestionListModel m_questions;
    ProblemListModel m_problems;
    AttachmentListModel m_attachments;
    QVariantMap m_risk;
    QVariantList m_priorHistory;
    QString m_qaDraft;  ///< the supervisor's QA notes being written (memory only)
    QString m_reviewNote, m_reviewBy;
    std::map<std::string, std::string> m_fieldNotes;  ///< field path -> note line
    bool m_submitting = false;
    QString m_submitMessage;
    QString m_message;
};

}  // namespace vigil::app
