#include "Words.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QLocale>
#include <QTime>

#include <optional>

namespace vigil::app {

QString stateWords(const QString& state, StateReader reader)
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("Words", text); };
    if (state == QLatin1String("draft"))
        return tr("Draft");
    if (state == QLatin1String("submitted"))
        return tr("Submitted for review");
    if (state == QLatin1String("returned"))
        return reader == StateReader::Officer ? tr("Returned to you") : tr("Returned to the officer");
    if (state == QLatin1String("approved"))
        return tr("Approved");
    if (state == QLatin1String("under_investigation"))
        return tr("Under investigation");
    if (state == QLatin1String("closed"))
        return tr("Closed");
    return state;
}

QString shortReference(const QString& incidentId)
{
    QString hex;
    for (const QChar c : incidentId) {
        if (c.isLetterOrNumber())
            hex += c.toUpper();
        if (hex.size() == 6)
            break;
    }
    return hex.isEmpty() ? QString() : QStringLiteral("V-") + hex;
}

namespace {

/// A typed date ("2026-12-06") or date and time ("2026-12-06T12:50", a trailing Z allowed):
/// the date, and the time when there is one; an invalid date for anything else. Times as
/// typed are the officer's local time: no zone is applied to them.
struct Typed {
    QDate date;
    std::optional<QTime> time;
};

Typed parseTyped(const QString& iso)
{
    QString text = iso.trimmed();
    if (text.size() == 10)
        return {QDate::fromString(text, Qt::ISODate), std::nullopt};
    if (text.endsWith(QLatin1Char('Z')))
        text.chop(1);
    const QDateTime at = QDateTime::fromString(text, Qt::ISODate);
    if (!at.isValid())
        return {};
    return {at.date(), at.time()};
}

/// The locale's short time, to the minute (some locales' short form carries seconds).
QString minutes(const QLocale& locale, QTime time)
{
    QString format = locale.timeFormat(QLocale::ShortFormat);
    format.remove(QStringLiteral(":ss"));
    return locale.toString(time, format);
}

}  // namespace

QString dateTimeWords(const QString& iso)
{
    const QLocale locale;
    const Typed typed = parseTyped(iso);
    if (!typed.date.isValid())
        return iso;
    const QString day = locale.toString(typed.date, QLocale::ShortFormat);
    return typed.time ? day + QLatin1Char(' ') + minutes(locale, *typed.time) : day;
}

QString instantWords(const QString& isoUtc)
{
    QDateTime at = QDateTime::fromString(isoUtc.trimmed(), Qt::ISODateWithMs);
    if (!at.isValid())
        at = QDateTime::fromString(isoUtc.trimmed(), Qt::ISODate);
    if (!at.isValid())
        return isoUtc;
    const QDateTime local = at.toLocalTime();
    const QLocale locale;
    return locale.toString(local.date(), QLocale::ShortFormat) + QLatin1Char(' ') + minutes(locale, local.time());
}

QString reviewLevelLabel(ReviewLevel level)
{
    switch (level) {
    case ReviewLevel::Supervisor: return QCoreApplication::translate("Words", "Supervisor (DS)");
    case ReviewLevel::Inspector: return QCoreApplication::translate("Words", "Inspector (DI)");
    case ReviewLevel::ChiefInspector: return QCoreApplication::translate("Words", "Chief inspector (DCI)");
    }
    return {};
}

QString gradeWords(const QString& grade)
{
    if (grade == QLatin1String("high"))
        return QCoreApplication::translate("Words", "High");
    if (grade == QLatin1String("medium"))
        return QCoreApplication::translate("Words", "Medium");
    if (grade == QLatin1String("standard"))
        return QCoreApplication::translate("Words", "Standard");
    return {};
}

QString dateTimeReadBack(const QString& iso)
{
    const QLocale locale;
    const Typed typed = parseTyped(iso);
    if (!typed.date.isValid())
        return {};
    const QString day = locale.toString(typed.date, QLocale::LongFormat);
    return typed.time ? QCoreApplication::translate("Words", "%1 at %2").arg(day, minutes(locale, *typed.time)) : day;
}

}  // namespace vigil::app
