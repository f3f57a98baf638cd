#pragma once

#include <vector>

#include <QAbstractListModel>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <qqmlintegration.h>

namespace vigil::app {

/// One DASH step on screen: a question of the model and the victim's answer to it.
struct QuestionRow {
    QString id;
    int number = 0;        ///< 0 for sub-questions
    QString text;
    QString help;
    QString group;         ///< "" for main questions; the sub-question group otherwise
    QString groupTitle;
    bool counts = false;   ///< counts toward the Yes total
    bool verified = true;
    QVariantList options;  ///< [{id, text, ticked}]
    QString answer;        ///< yes | no | dont_know | not_asked | "" (unanswered)
    QString note;
    QString reason;
    QString source;
    friend bool operator==(const QuestionRow&, const QuestionRow&) = default;
};

/// The current victim's DASH questions, one step per row, sub-questions after the question
/// that opened them. Rows are rebuilt from the model and the answers by the editor.
class QuestionListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Belongs to the open 124D (AppController.editor)")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /// Main questions answered (any answer) and how many there are.
    Q_PROPERTY(int answeredCount READ answeredCount NOTIFY countChanged)
    Q_PROPERTY(int mainCount READ mainCount NOTIFY countChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        NumberRole,
        TextRole,
        HelpRole,
        GroupRole,
        GroupTitleRole,
        CountsRole,
        VerifiedRole,
        OptionsRole,
        AnswerRole,
        NoteRole,
        ReasonRole,
        SourceRole,
    };
    Q_ENUM(Role)

    explicit QuestionListModel(QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// Same questions in the same order: rows that changed are updated in place (the view
    /// keeps its place); otherwise the rows are replaced.
    void setRows(std::vector<QuestionRow> rows);
    [[nodiscard]] const std::vector<QuestionRow>& rows() const { return m_rows; }
    /// The row of a question id, or -1.
    Q_INVOKABLE int indexOf(const QString& questionId) const;
    /// One row as a map (the step on screen).
    Q_INVOKABLE QVariantMap get(int row) const;

    [[nodiscard]] int count() const { return static_cast<int>(m_rows.size()); }
    [[nodiscard]] int answeredCount() const;
    [[nodiscard]] int mainCount() const;

signals:
    void countChanged();

private:
    std::vector<QuestionRow> m_rows;
};

/// One problem that stops a submission, with where to fix it.
struct ProblemRow {
    QString message;
    QString field;     ///< the core's field path
    int section = 0;   ///< IncidentEditor::Section
    int victim = -1;   ///< the victim it concerns, or -1
    int step = -1;     ///< DASH step, or -1
    friend bool operator==(const ProblemRow&, const ProblemRow&) = default;
};

/// The problems found by the core's submission rules, in form order.
class ProblemListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Belongs to the open 124D (AppController.editor)")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { MessageRole = Qt::UserRole + 1, FieldRole, SectionRole, VictimRole, StepRole };
    Q_ENUM(Role)

    explicit ProblemListModel(QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void setRows(std::vector<ProblemRow> rows);
    [[nodiscard]] const std::vector<ProblemRow>& rows() const { return m_rows; }
    Q_INVOKABLE QVariantMap get(int row) const;
    /// Problems in one section (the section list shows a count).
    Q_INVOKABLE int countIn(int section) const;
    /// True when some problem names this exact field path.
    Q_INVOKABLE bool hasField(const QString& field) const;
    [[nodiscard]] int count() const { return static_cast<int>(m_rows.size()); }

signals:
    void countChanged();

private:
    std::vector<ProblemRow> m_rows;
};

/// A stored photo as listed: the thumbnail is a data: URL made in memory (never a file).
struct AttachmentRow {
    QString id;
    QString caption;
    QString mimeType;
    qint64 size = 0;
    QString thumbnail;  ///< data:image/png;base64,... or "" when it could not be decoded
    friend bool operator==(const AttachmentRow&, const AttachmentRow&) = default;
};

/// Photos of the open 124D.
class AttachmentListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Belongs to the open 124D (AppController.editor)")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { IdRole = Qt::UserRole + 1, CaptionRole, MimeTypeRole, SizeRole, SizeLabelRole, ThumbnailRole };
    Q_ENUM(Role)

    explicit AttachmentListModel(QObject* parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void setRows(std::vector<AttachmentRow> rows);
    [[nodiscard]] int count() const { return static_cast<int>(m_rows.size()); }

signals:
    void countChanged();

private:
    std::vector<AttachmentRow> m_rows;
};

}  // namespace vigil::app
