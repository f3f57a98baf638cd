#include "Words.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QLocale>

namespace vigil::app {

QString stateWords(const QString& state)
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("Words", text); };
    if (state == QLatin1String("draft"))
        return tr("Draft");
    if (state == QLatin1String("submitted"))
        return tr("Submitted for review");
    if (state == QLatin1String("returned"))
        return tr("Returned to you");
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

QString dateTimeWords(const QString& iso)
{
    const QLocale locale;
    const QString text = iso.trimmed();
    if (text.size() == 10) {
        const QDate day = QDate::fromString(text, Qt::ISODate);
        return day.isValid() ? locale.toString(day, QLocale::ShortFormat) : iso;
    }
    // Times as typed are the officer's local time: no zone is applied to them.
    QString local = text;
    if (local.endsWith(QLatin1Char('Z')))
        local.chop(1);
    const QDateTime at = QDateTime::fromString(local, Qt::ISODate);
    if (!at.isValid())
        return iso;
    // The locale's short time, to the minute (some locales' short form carries seconds).
    QString timeFormat = locale.timeFormat(QLocale::ShortFormat);
    timeFormat.remove(QStringLiteral(":ss"));
    return locale.toString(at.date(), QLocale::ShortFormat) + QLatin1Char(' ') + locale.toString(at.time(), timeFormat);
}

QString dateTimeReadBack(const QString& iso)
{
    const QLocale locale;
    QString text = iso.trimmed();
    if (text.size() == 10) {
        const QDate day = QDate::fromString(text, Qt::ISODate);
        return day.isValid() ? locale.toString(day, QLocale::LongFormat) : QString();
    }
    if (text.endsWith(QLatin1Char('Z')))
        text.chop(1);
    const QDateTime at = QDateTime::fromString(text, Qt::ISODate);
    if (!at.isValid())
        return {};
    QString timeFormat = locale.timeFormat(QLocale::ShortFormat);
    timeFormat.remove(QStringLiteral(":ss"));
    return QCoreApplication::translate("Words", "%1 at %2")
        .arg(locale.toString(at.date(), QLocale::LongFormat), locale.toString(at.time(), timeFormat));
}

}  // namespace vigil::app
