// vigil-admin report: wiring and words only. The figures are core/figures (computeFigures,
// publishBoardReport, boardNarrative, boardCsv), read through AdminSession::reportFigures; the
// PDF is ReportPdf.
#include "sync/admin/ReportCommand.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/figures/FigureReport.h"
#include "core/risk/DiversityCategories.h"
#include "sync/admin/ReportPdf.h"
#include "sync/server/Admin.h"

namespace vigil::sync {

const char* const kReportHelp = R"(Usage: vigil-admin report --from YYYY-MM-DD --to YYYY-MM-DD [--borough B ...] --out-dir DIR

Write the board report for a period (both days included) and boroughs (repeat --borough; none:
every borough with a 124D received in the period), from the server's copy of every record, with
the code a supervisor's device counts with (docs/figures.md):

  DIR/vigil-board-report-FROM-to-TO.txt   the narrative, in words, no tables: one paragraph per
                                          borough, one for the boroughs together when there are
                                          several, equality and diversity, how it is counted
  DIR/vigil-board-report-FROM-to-TO.csv   the same figures in the fixed layout of docs/figures.md
  DIR/vigil-board-report-FROM-to-TO.pdf   the narrative as an A4 PDF

So that no victim can be identified, every count from 1 to 4 is given as "fewer than 5" (and
left empty in the CSV), and so is any count that would let one be worked out by subtraction.
The files must not exist (mode 0600). Works while vigil-server runs (it reads the copy the
server keeps) and while it is stopped (the copy is first brought up to the op log, as the
server does at start). Recorded in the server's audit chain (figures_reported).
)";

namespace {

std::string sha256Hex(const std::string& bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0F];
    }
    return out;
}

Status writeNew(const std::filesystem::path& file, const std::string& text)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::AlreadyExists,
                         "Cannot create " + file.string() + " (it must not exist already). Nothing was written.");
    ::fchmod(fd, 0600);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok)
        return makeError(ErrorCode::Io, "Cannot write " + file.string() + " (disk full?). Remove it and run the report again.");
    return {};
}

std::optional<std::string> readFile(const std::filesystem::path& file)
{
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f)
        return std::nullopt;
    std::string out;
    char buf[8192];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
        out.append(buf, n);
    std::fclose(f);
    return out;
}

int misused(const std::string& message)
{
    std::fprintf(stderr, "vigil-admin: %s\n\n%s", message.c_str(), kReportHelp);
    return 2;
}

int failed(const std::string& message)
{
    std::fprintf(stderr, "vigil-admin: %s\n", message.c_str());
    return 1;
}

}  // namespace

int runReportCommand(AdminSession& session, const std::vector<std::string>& args)
{
    std::string from;
    std::string to;
    std::string outDir;
    std::vector<std::string> boroughs;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a != "--from" && a != "--to" && a != "--borough" && a != "--out-dir")
            return misused(a.rfind("--", 0) == 0 ? "unknown option " + a : "unexpected argument \"" + a + "\"");
        if (i + 1 >= args.size())
            return misused(a + " needs a value");
        const std::string& v = args[++i];
        if (a == "--from")
            from = v;
        else if (a == "--to")
            to = v;
        else if (a == "--out-dir")
            outDir = v;
        else if (!v.empty())
            boroughs.push_back(v);
    }
    if (from.empty() || to.empty())
        return misused("give the period with --from YYYY-MM-DD --to YYYY-MM-DD (both days included)");
    if (outDir.empty())
        return misused("give the folder to write the report to with --out-dir DIR");
    if (periodInWords(from, to).empty())
        return misused("--from and --to take dates as YYYY-MM-DD");

    auto figures = session.reportFigures(from, to, boroughs);
    if (!figures)
        return failed(figures.error().message);
    if (figures->boroughs.empty())
        return failed("No borough has a 124D received from " + from + " to " + to
                      + ": nothing to report. Check the dates, or name the boroughs with --borough.");
    auto lists = DiversityCategories::loadFile(session.config().resolve(session.config().riskModelDir)
                                               / "rules-diversity.json");
    if (!lists)
        return failed(lists.error().message);
    const BoardReport report = publishBoardReport(from, to, figures->boroughs);
    const std::string narrative = boardNarrative(report, &*lists);
    const std::string csv = boardCsv(report);

    std::error_code ec;
    const std::filesystem::path dir(outDir);
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return failed("Cannot create the folder " + dir.string() + ": " + ec.message() + ".");
    const std::string stem = "vigil-board-report-" + from + "-to-" + to;
    const std::filesystem::path txt = dir / (stem + ".txt");
    const std::filesystem::path csvFile = dir / (stem + ".csv");
    const std::filesystem::path pdf = dir / (stem + ".pdf");
    for (const auto& f : {txt, csvFile, pdf}) {
        if (std::filesystem::exists(f, ec))
            return failed(f.string() + " already exists: choose another --out-dir, or move the earlier report aside. "
                                       "Nothing was written.");
    }
    if (auto s = writeNew(txt, narrative); !s.ok())
        return failed(s.error().message);
    if (auto s = writeNew(csvFile, csv); !s.ok())
        return failed(s.error().message);
    if (auto s = writeReportPdf(pdf, narrative); !s.ok())
        return failed(s.error().message);
    const auto pdfBytes = readFile(pdf);
    if (!pdfBytes)
        return failed("Cannot read back " + pdf.string() + ". Check the folder, then run the report again.");

    std::vector<std::string> names;
    for (const FigureSet& s : figures->boroughs)
        names.push_back(s.request.borough);
    nlohmann::json files = nlohmann::json::array();
    files.push_back({{"name", txt.filename().string()}, {"sha256", sha256Hex(narrative)}});
    files.push_back({{"name", csvFile.filename().string()}, {"sha256", sha256Hex(csv)}});
    files.push_back({{"name", pdf.filename().string()}, {"sha256", sha256Hex(*pdfBytes)}});
    if (auto s = session.auditReport(
            {{"from", from}, {"to", to}, {"boroughs", names}, {"server", figures->server}, {"files", files}});
        !s.ok())
        return failed("The report was written, but recording it in the server's audit chain failed: "
                      + s.error().message + " Remove the files in " + dir.string() + " and run the report again.");

    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i ? ", " : "") + names[i];
    std::printf("Wrote the board report for %s (%s):\n  %s  the narrative\n  %s  the figures (docs/figures.md, \"The "
                "CSV\")\n  %s  the narrative as PDF\nCounts from 1 to 4, and counts that would reveal one, are withheld. "
                "Recorded in the server's audit chain (figures_reported).\n",
                periodInWords(from, to).c_str(), list.c_str(), txt.string().c_str(), csvFile.string().c_str(),
                pdf.string().c_str());
    return 0;
}

}  // namespace vigil::sync
