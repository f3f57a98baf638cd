#include "EditorModels.h"

#include <algorithm>

#include <QLocale>

namespace vigil::app {

// --- questions ---

QuestionListModel::QuestionListModel(QObject* parent) : QAbstractListModel(parent) {}

int QuestionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant QuestionListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QuestionRow& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return r.text;
    case IdRole: return r.id;
    case NumberRole: return r.number;
    case HelpRole: return r.help;
    case GroupRole: return r.group;
    case GroupTitleRole: return r.groupTitle;
    case CountsRole: return r.counts;
    case VerifiedRole: return r.verified;
    case OptionsRole: return r.options;
    case AnswerRole: return r.answer;
    case NoteRole: return r.note;
    case ReasonRole: return r.reason;
    case SourceRole: return r.source;
    default: return {};
    }
}

QHash<int, QByteArray> QuestionListModel::roleNames() const
{
    return {{IdRole, "questionId"}, {NumberRole, "number"},   {TextRole, "text"},
            {HelpRole, "help"},     {GroupRole, "group"},     {GroupTitleRole, "groupTitle"},
            {CountsRole, "counts"}, {VerifiedRole, "verified"}, {OptionsRole, "options"},
            {AnswerRole, "answer"}, {NoteRole, "note"},       {ReasonRole, "reason"},
            {SourceRole, "source"}};
}

void QuestionListModel::setRows(std::vector<QuestionRow> rows)
{
    const bool sameShape = rows.size() == m_rows.size()
                           && std::equal(rows.begin(), rows.end(), m_rows.begin(),
                                         [](const QuestionRow& a, const QuestionRow& b) { return a.id == b.id; });
    if (sameShape) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (rows[i] == m_rows[i])
                continue;
            m_rows[i] = std::move(rows[i]);
            const QModelIndex at = index(static_cast<int>(i));
            emit dataChanged(at, at);
        }
        emit countChanged();  // answered count may have moved
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    emit countChanged();
}

int QuestionListModel::indexOf(const QString& questionId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == questionId)
            return static_cast<int>(i);
    }
    return -1;
}

QVariantMap QuestionListModel::get(int row) const
{
    QVariantMap out;
    if (row < 0 || row >= count())
        return out;
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.begin(); it != names.end(); ++it)
        out[QString::fromLatin1(it.value())] = data(index(row), it.key());
    return out;
}

int QuestionListModel::answeredCount() const
{
    return static_cast<int>(std::count_if(m_rows.begin(), m_rows.end(), [](const QuestionRow& r) {
        return r.group.isEmpty() && !r.answer.isEmpty();
    }));
}

int QuestionListModel::mainCount() const
{
    return static_cast<int>(
        std::count_if(m_rows.begin(), m_rows.end(), [](const QuestionRow& r) { return r.group.isEmpty(); }));
}

// --- problems ---

ProblemListModel::ProblemListModel(QObject* parent) : QAbstractListModel(parent) {}

int ProblemListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant ProblemListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProblemRow& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case MessageRole: return r.message;
    case FieldRole: return r.field;
    case SectionRole: return r.section;
    case VictimRole: return r.victim;
    case StepRole: return r.step;
    default: return {};
    }
}

QHash<int, QByteArray> ProblemListModel::roleNames() const
{
    return {{MessageRole, "message"}, {FieldRole, "field"}, {SectionRole, "section"}, {VictimRole, "victim"},
            {StepRole, "step"}};
}

void ProblemListModel::setRows(std::vector<ProblemRow> rows)
{
    if (rows == m_rows)
        return;
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    emit countChanged();
}

QVariantMap ProblemListModel::get(int row) const
{
    if (row < 0 || row >= count())
        return {};
    const ProblemRow& r = m_rows[static_cast<std::size_t>(row)];
    return {{QStringLiteral("message"), r.message}, {QStringLiteral("field"), r.field},
            {QStringLiteral("section"), r.section}, {QStringLiteral("victim"), r.victim},
            {QStringLiteral("step"), r.step}};
}

int ProblemListModel::countIn(int section) const
{
    return static_cast<int>(
        std::count_if(m_rows.begin(), m_rows.end(), [section](const ProblemRow& r) { return r.section == section; }));
}

bool ProblemListModel::hasField(const QString& field) const
{
    return std::any_of(m_rows.begin(), m_rows.end(), [&field](const ProblemRow& r) { return r.field == field; });
}

// --- attachments ---

AttachmentListModel::AttachmentListModel(QObject* parent) : QAbstractListModel(parent) {}

int AttachmentListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant AttachmentListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AttachmentRow& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case CaptionRole: return r.caption;
    case IdRole: return r.id;
    case MimeTypeRole: return r.mimeType;
    case SizeRole: return r.size;
    case SizeLabelRole: return QLocale::system().formattedDataSize(r.size);
    case ThumbnailRole: return r.thumbnail;
    default: return {};
    }
}

QHash<int, QByteArray> AttachmentListModel::roleNames() const
{
    return {{IdRole, "attachmentId"}, {CaptionRole, "caption"},      {MimeTypeRole, "mimeType"},
            {SizeRole, "size"},       {SizeLabelRole, "sizeLabel"}, {ThumbnailRole, "thumbnail"}};
}

void AttachmentListModel::setRows(std::vector<AttachmentRow> rows)
{
    if (rows == m_rows)
        return;
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    emit countChanged();
}

}  // namespace vigil::app
