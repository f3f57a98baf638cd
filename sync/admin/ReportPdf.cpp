#include "sync/admin/ReportPdf.h"

#include <cstdio>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

#include <QFont>
#include <QGuiApplication>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QString>
#include <QStringList>
#include <QTextDocument>

namespace vigil::sync {

Status writeReportPdf(const std::filesystem::path& file, const std::string& narrative)
{
    // Reserve the name first: QPdfWriter would overwrite a file that is there.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::AlreadyExists,
                         "Cannot create " + file.string() + " (it must not exist already). Nothing was written.");
    ::close(fd);
    // Fonts and the PDF engine need a QGuiApplication; a server has no display, so Qt's offscreen
    // platform unless the caller chose one.
    // Qt's notes about its own set-up (no XDG_RUNTIME_DIR on a server, the offscreen platform)
    // are not the administrator's business; real failures are reported by what this returns.
    struct QuietQt {
        QtMessageHandler previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& text) {
            if (type == QtCriticalMsg || type == QtFatalMsg)
                std::fprintf(stderr, "vigil-admin: Qt: %s\n", text.toLocal8Bit().constData());
        });
        ~QuietQt() { qInstallMessageHandler(previous); }
    } quiet;
    std::unique_ptr<QGuiApplication> app;
    if (!QGuiApplication::instance()) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char name[] = "vigil-admin";
        static char* argv[] = {name, nullptr};
        app = std::make_unique<QGuiApplication>(argc, argv);
    }
    const QStringList blocks = QString::fromStdString(narrative).split(QStringLiteral("\n\n"), Qt::SkipEmptyParts);
    if (blocks.isEmpty())
        return makeError(ErrorCode::InvalidArgument, "The report has no text to write. Nothing was written.");
    QString html = QStringLiteral("<h2>") + blocks.front().trimmed().toHtmlEscaped() + QStringLiteral("</h2>");
    for (qsizetype i = 1; i < blocks.size(); ++i)
        html += QStringLiteral("<p style=\"margin-bottom: 8pt\">") + blocks[i].trimmed().toHtmlEscaped() + QStringLiteral("</p>");

    QPdfWriter writer(QString::fromStdString(file.string()));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout::Millimeter);
    writer.setTitle(blocks.front().trimmed());
    writer.setCreator(QStringLiteral("Vigil (vigil-admin report)"));
    QTextDocument doc;
    doc.setDefaultFont(QFont(QStringLiteral("DejaVu Serif"), 11));
    doc.setHtml(html);
    doc.print(&writer);
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec || size < 256)
        return makeError(ErrorCode::Io, "The PDF " + file.string() + " could not be written (disk full?). Remove it "
                                        "and run the report again.");
    return {};
}

}  // namespace vigil::sync
