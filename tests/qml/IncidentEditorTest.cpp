// The 124D editor (the wizard's bridge) over a real SQLCipher device store on a real worker
// thread: taps saved at once, typed text within a second, only edited fields written, the
// live risk from the core, submission problems located in the wizard, photos stored
// encrypted (from a file or the camera, the same way); its list models checked with
// QAbstractItemModelTester.
#include <catch2/catch.hpp>

#include <optional>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QUrl>

#include "bridge/ConflictListModel.h"
#include "core/common/Uuid.h"
#include "bridge/IncidentEditor.h"
#include "bridge/RecordsAccess.h"
#include "bridge/StoreWorker.h"
#include "core/records/AttachmentRepository.h"
#include "core/records/ImageSanitiser.h"
#include "core/records/IncidentRepository.h"
#include "tests/support/FileScan.h"
#include "tests/support/RecordsFixture.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using vigil::app::IncidentEditor;

namespace {

bool waitUntil(const std::function<bool()>& done, int timeoutMs = 10000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return true;
}

/// The app's access, over a real unlocked store in a temporary folder.
class StoreAccess final : public app::RecordsAccess {
public:
    explicit StoreAccess(test::RecordsFixture& fixture) : m_fixture(fixture) {}
    Status withRecords(const std::function<Status(RecordStore&)>& work) override { return work(*m_fixture.records); }
    [[nodiscard]] Actor actor() const override { return signedIn.value_or(m_fixture.officer); }
    [[nodiscard]] Role role() const override { return signedInRole; }
    [[nodiscard]] HistorySource historySource() const override { return {}; }
    void changed() override { ++changes; }
    std::atomic<int> changes{0};
    /// Another user on this device (set before the editor opens a 124D; read on the worker).
    std::optional<Actor> signedIn;
    Role signedInRole = Role::Officer;

private:
    test::RecordsFixture& m_fixture;
};

/// An editor on a real store and worker, with a draft 124D open.
struct EditorFixture {
    test::RecordsFixture store;
    StoreAccess access{store};
    app::StoreWorker worker;
    std::unique_ptr<IncidentEditor> editor;
    std::string id;

    explicit EditorFixture(const std::function<void(Incident&)>& edit = {})
    {
        Incident draft;
        draft.owner = store.officer.userId;
        draft.team = "north";
        draft.date = "2026-11-20T21:40";
        if (edit)
            edit(draft);
        auto made = IncidentRepository(*store.records).createDraft(store.officer, draft);
        INFO((made ? std::string() : made.error().message));
        REQUIRE(made.ok());
        id = made->id;
        const auto now = std::chrono::floor<std::chrono::seconds>(store.time.now);
        editor = std::make_unique<IncidentEditor>(worker, access, nullptr, [now] { return now; });
        editor->open(QString::fromStdString(id));
        REQUIRE(waitUntil([this] { return editor->incidentId() == QString::fromStdString(id) && !editor->loading(); }));
    }
    ~EditorFixture()
    {
        editor->shutdown();
        worker.shutdown();
    }

    /// Open the 124D again as another user, e.g. a colleague or a supervisor.
    void reopenAs(const std::string& user, Role role)
    {
        editor->close();
        access.signedIn = Actor{user};
        access.signedInRole = role;
        editor->open(QString::fromStdString(id));
        REQUIRE(waitUntil([this] { return editor->incidentId() == QString::fromStdString(id) && !editor->loading(); }));
    }

    bool settled()
    {
        return waitUntil([this] { return editor->saveState() == QLatin1String("saved"); });
    }
    Incident stored()
    {
        bool done = false;
        Incident out;
        worker.post([&] {
            auto read = IncidentRepository(*store.records).read(id);
            if (read)
                out = *read;
            done = true;
        });
        REQUIRE(waitUntil([&] { return done; }));
        return out;
    }
    /// Answer every main question: the first `yes` Yes, the rest No.
    void answerAll(int yes)
    {
        int n = 0;
        for (int i = 1; i <= 27; ++i)
            editor->setAnswer(0, QStringLiteral("q%1").arg(i), n++ < yes ? QStringLiteral("yes") : QStringLiteral("no"));
    }
    /// The photos of the 124D as stored (sanitised) bytes, oldest first, read on the worker.
    std::vector<std::vector<std::uint8_t>> storedPhotos()
    {
        bool done = false;
        std::vector<std::vector<std::uint8_t>> out;
        worker.post([&] {
            AttachmentRepository photos(*store.records);
            if (auto list = photos.list(id)) {
                for (const auto& info : *list) {
                    if (auto bytes = photos.read(store.officer, info.id))
                        out.push_back(std::move(bytes).value());
                }
            }
            done = true;
        });
        REQUIRE(waitUntil([&] { return done; }));
        return out;
    }
    QVariantMap problemFor(const QString& field)
    {
        for (const auto& p : editor->problems()->rows()) {
            if (p.field == field)
                return editor->problems()->get(static_cast<int>(&p - editor->problems()->rows().data()));
        }
        return {};
    }
};

/// TMPDIR pointed at a folder of the test's own while it lives, so a scan of that folder sees
/// anything Qt, libjpeg or Vigil might put in a temporary file.
class TmpDirOverride {
public:
    explicit TmpDirOverride(const std::filesystem::path& dir)
        : m_had(std::getenv("TMPDIR") != nullptr), m_old(m_had ? std::getenv("TMPDIR") : "")
    {
        ::setenv("TMPDIR", dir.c_str(), 1);
    }
    ~TmpDirOverride()
    {
        if (m_had)
            ::setenv("TMPDIR", m_old.c_str(), 1);
        else
            ::unsetenv("TMPDIR");
    }
    TmpDirOverride(const TmpDirOverride&) = delete;
    TmpDirOverride& operator=(const TmpDirOverride&) = delete;

private:
    bool m_had;
    std::string m_old;
};

/// A frame as the camera would hand it over: four coloured quarters to recognise after JPEG,
/// a band of noise-like pixels at the top whose raw bytes are a needle for the disk scan, and
/// a text key that Qt's JPEG writer puts in a comment segment (as camera software puts
/// descriptions), which the sanitiser must remove.
QImage cameraFrame()
{
    QImage image(320, 240, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if (y < 8)
                line[x] = qRgb((x * 37) % 256, (x * 101 + y) % 256, (x * 53) % 256);
            else if (y < 120)
                line[x] = x < 160 ? qRgb(200, 30, 30) : qRgb(30, 160, 40);
            else
                line[x] = x < 160 ? qRgb(30, 40, 200) : qRgb(240, 240, 240);
        }
    }
    image.setText(QStringLiteral("Description"), QStringLiteral("CANARY-camera-note GPS 51.5072N 0.1276W"));
    return image;
}

/// The markers of a JPEG's segments before the image data (APPn, COM, tables).
std::set<int> markersBeforeScan(const std::vector<std::uint8_t>& jpeg)
{
    std::set<int> markers;
    std::size_t i = 2;  // after SOI
    while (i + 4 <= jpeg.size() && jpeg[i] == 0xFF && jpeg[i + 1] != 0xDA) {
        markers.insert(jpeg[i + 1]);
        i += 2 + (static_cast<std::size_t>(jpeg[i + 2]) << 8U) + static_cast<std::size_t>(jpeg[i + 3]);
    }
    return markers;
}

/// Close enough after JPEG: each channel within `tolerance`.
bool near(QRgb a, QRgb b, int tolerance = 24)
{
    return std::abs(qRed(a) - qRed(b)) <= tolerance && std::abs(qGreen(a) - qGreen(b)) <= tolerance
        && std::abs(qBlue(a) - qBlue(b)) <= tolerance;
}

}  // namespace

TEST_CASE("A tapped DASH answer is saved at once and the live risk panel counts it", "[app][editor]")
{
    EditorFixture f;
    QAbstractItemModelTester questions(f.editor->questions(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    f.editor->addVictim();
    REQUIRE(f.editor->victimCount() == 1);
    REQUIRE(f.settled());
    CHECK(f.editor->questions()->mainCount() == 27);

    QSignalSpy saved(f.editor.get(), &IncidentEditor::saved);
    f.editor->setAnswer(0, QStringLiteral("q1"), QStringLiteral("yes"));
    CHECK(f.editor->saveState() == QLatin1String("saving"));  // a tap goes to the worker at once
    REQUIRE(f.settled());
    REQUIRE(saved.count() >= 1);
    CHECK(saved.last().at(1).toBool());  // a tap
    CHECK(f.editor->risk().value(QStringLiteral("yesCount")).toInt() == 1);
    const Incident afterTap = f.stored();
    REQUIRE(afterTap.victims.size() == 1);
    CHECK(afterTap.victims[0].dash.answers.at("q1").value == AnswerValue::Yes);

    f.answerAll(14);
    REQUIRE(f.settled());
    CHECK(f.editor->risk().value(QStringLiteral("yesCount")).toInt() == 14);
    CHECK(f.editor->risk().value(QStringLiteral("computed")).toString() == QLatin1String("high"));
    const auto marac = f.editor->risk().value(QStringLiteral("marac")).toList();
    REQUIRE_FALSE(marac.isEmpty());
    CHECK(marac.front().toMap().value(QStringLiteral("kind")).toString() == QLatin1String("visible_high_risk"));
    CHECK_FALSE(f.editor->risk().value(QStringLiteral("specss")).toList().isEmpty());
    CHECK(f.stored().victims[0].dash.answers.size() == 27);
    CHECK(f.access.changes > 0);  // the sync engine is told of every save
}

TEST_CASE("A Yes to question 4 opens the HBV and forced-marriage questions right after it", "[app][editor]")
{
    EditorFixture f;
    QAbstractItemModelTester questions(f.editor->questions(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    f.editor->addVictim();
    const int before = f.editor->questions()->count();
    f.editor->setAnswer(0, QStringLiteral("q4"), QStringLiteral("yes"));
    const int after = f.editor->questions()->count();
    CHECK(after > before);
    const int q4 = f.editor->questions()->indexOf(QStringLiteral("q4"));
    CHECK(f.editor->questions()->get(q4 + 1).value(QStringLiteral("group")).toString() == QLatin1String("hbv_forced_marriage"));
    CHECK(f.editor->questions()->get(q4 + 1).value(QStringLiteral("counts")).toBool() == false);
    // Its step is where the wizard shows it.
    const QString sub = f.editor->questions()->get(q4 + 1).value(QStringLiteral("questionId")).toString();
    CHECK(f.editor->locate(QStringLiteral("victims[0].dash.") + sub).value(QStringLiteral("step")).toInt() == q4 + 1);
    f.editor->setAnswer(0, QStringLiteral("q4"), QStringLiteral("no"));
    CHECK(f.editor->questions()->count() == before);
    REQUIRE(f.settled());
}

TEST_CASE("Typed text is saved within a second and only the edited field is written", "[app][editor]")
{
    EditorFixture f;
    f.editor->setText(QStringLiteral("refs.cad"), QStringLiteral("1234/20NOV26"));
    CHECK(f.editor->saveState() == QLatin1String("saving"));
    CHECK(f.editor->value(QStringLiteral("refs.cad")).toString() == QLatin1String("1234/20NOV26"));

    // Meanwhile another field changes in the store (as a pull would): it must survive.
    bool written = false;
    f.worker.post([&] {
        IncidentRepository repo(*f.store.records);
        auto incident = repo.read(f.id);
        incident->refs.crimint = "12345678";
        written = repo.save(f.store.officer, *incident).ok();
    });
    QElapsedTimer clock;
    clock.start();
    REQUIRE(f.settled());
    CHECK(clock.elapsed() < 1000);
    CHECK(written);
    const Incident stored = f.stored();
    CHECK(stored.refs.cad == "1234/20NOV26");
    CHECK(stored.refs.crimint == "12345678");
    CHECK(f.editor->lastSaveMs() >= 0);
}

TEST_CASE("A change too long for its field waits on screen with words, and the changes made with it are saved",
          "[app][editor][limits]")
{
    EditorFixture f;
    const QString tooLong(5000, QLatin1Char('x'));  // a place is short text: at most 4 KB
    f.editor->setText(QStringLiteral("incident.location"), tooLong);
    f.editor->setText(QStringLiteral("refs.cad"), QStringLiteral("1234/20NOV26"));
    f.editor->flush();
    REQUIRE(waitUntil([&] { return f.stored().refs.cad == "1234/20NOV26"; }));
    REQUIRE(waitUntil([&] { return f.editor->saveState() == QLatin1String("failed"); }));
    CHECK(f.editor->saveMessage().contains(QLatin1String("at most 4 KB")));
    CHECK(f.editor->saveMessage().contains(QLatin1String("Shorten it")));
    CHECK(f.stored().location.empty());
    CHECK(f.editor->value(QStringLiteral("incident.location")).toString() == tooLong);  // still on screen

    // Another change meanwhile is saved too; the long one still waits.
    f.editor->setText(QStringLiteral("refs.crimint"), QStringLiteral("12345678"));
    f.editor->flush();
    REQUIRE(waitUntil([&] { return f.stored().refs.crimint == "12345678"; }));
    // The row is in the store a moment before the save's end reaches the editor ("saving" until then).
    CHECK(waitUntil([&] { return f.editor->saveState() == QLatin1String("failed"); }));
    CHECK(f.editor->saveMessage().contains(QLatin1String("at most 4 KB")));

    // Shortened, it is saved and the words go.
    f.editor->setText(QStringLiteral("incident.location"), QStringLiteral("Mare Street"));
    REQUIRE(f.settled());
    CHECK(f.stored().location == "Mare Street");
}

TEST_CASE("Typing without a pause is still saved within a second of each key", "[app][editor]")
{
    // A plain debounce would wait for the officer to pause; a kill after ten seconds of
    // typing would then lose all ten.
    EditorFixture f;
    QSignalSpy saved(f.editor.get(), &IncidentEditor::saved);
    QElapsedTimer clock;
    clock.start();
    QString text;
    qint64 firstSaveAt = -1;
    for (int i = 0; i < 25; ++i) {  // a key every 80 ms for 2 s
        text += QLatin1Char(static_cast<char>('a' + i % 26));
        f.editor->setText(QStringLiteral("incident.location"), text);
        waitUntil([&] { return clock.elapsed() >= (i + 1) * 80; });
        if (firstSaveAt < 0 && saved.count() > 0)
            firstSaveAt = clock.elapsed();
    }
    INFO("first save after " << firstSaveAt << " ms of typing");
    REQUIRE(firstSaveAt > 0);
    CHECK(firstSaveAt < 1000 + 80);  // seen at the next key at the latest
    CHECK(saved.count() >= 2);       // and again while typing went on
    REQUIRE(f.settled());
    CHECK(f.stored().location == text.toStdString());
}

TEST_CASE("Submitting lists every problem with the section, victim and step that holds its field", "[app][editor]")
{
    EditorFixture f([](Incident& i) { i.children.push_back(Child{"Invented Child", 6, true, false, {}}); });
    f.editor->addVictim();
    f.editor->setText(QStringLiteral("victims[0].person.name"), QStringLiteral("Invented Person"));
    f.editor->setAnswer(0, QStringLiteral("q1"), QStringLiteral("yes"));
    f.editor->setChoice(QStringLiteral("victims[0].grade.officer"), QStringLiteral("high"));  // raised, no reason

    QAbstractItemModelTester problems(f.editor->problems(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    f.editor->submit();
    REQUIRE(waitUntil([&] { return !f.editor->submitting(); }));
    CHECK(f.editor->state() == QLatin1String("draft"));  // refused, nothing lost
    REQUIRE(f.editor->problems()->count() > 3);

    const QVariantMap merlin = f.problemFor(QStringLiteral("refs.merlin_pac"));
    REQUIRE_FALSE(merlin.isEmpty());
    CHECK(merlin.value(QStringLiteral("section")).toInt() == IncidentEditor::IncidentSection);

    const QVariantMap reason = f.problemFor(QStringLiteral("victims[0].grade.officer_reason"));
    REQUIRE_FALSE(reason.isEmpty());
    CHECK(reason.value(QStringLiteral("section")).toInt() == IncidentEditor::GradeSection);
    CHECK(reason.value(QStringLiteral("victim")).toInt() == 0);

    const QVariantMap q2 = f.problemFor(QStringLiteral("victims[0].dash.q2"));
    REQUIRE_FALSE(q2.isEmpty());
    CHECK(q2.value(QStringLiteral("section")).toInt() == IncidentEditor::DashSection);
    CHECK(q2.value(QStringLiteral("step")).toInt() == 1);
    CHECK(f.editor->problems()->countIn(IncidentEditor::DashSection) >= 26);
    CHECK(f.stored().victims[0].officerGrade.grade == RiskGrade::High);
}

namespace {

/// Complete the open draft as its officer and submit it (as the officer does in the wizard).
void completeAndSubmit(EditorFixture& f)
{
    f.editor->setChoice(QStringLiteral("incident.crime"), false);
    f.editor->setChoice(QStringLiteral("positive_action.power_of_arrest"), true);
    f.editor->setChoice(QStringLiteral("positive_action.arrest_made"), true);
    f.editor->addVictim();
    f.editor->setText(QStringLiteral("victims[0].person.name"), QStringLiteral("Invented Person"));
    for (const char* way : {"phone", "text", "voicemail", "email", "visit"})
        f.editor->setChoice(QStringLiteral("victims[0].safe_contact.") + QLatin1String(way), true);
    f.answerAll(14);
    f.editor->setChoice(QStringLiteral("victims[0].grade.officer"), QStringLiteral("high"));
    f.editor->setChoice(QStringLiteral("victims[0].marac.decision"), QStringLiteral("refer"));
    f.editor->submit();
    REQUIRE(waitUntil([&] { return !f.editor->submitting(); }));
    INFO(f.editor->submitMessage().toStdString());
    REQUIRE(f.editor->state() == QLatin1String("submitted"));
}

}  // namespace

TEST_CASE("A complete 124D is submitted with the lifecycle command and is then read only", "[app][editor]")
{
    EditorFixture f;
    QSignalSpy submitted(f.editor.get(), &IncidentEditor::submitted);
    completeAndSubmit(f);
    CHECK(f.editor->problems()->count() == 0);
    CHECK(submitted.count() == 1);
    CHECK_FALSE(f.editor->editable());
    CHECK(f.stored().state == LifecycleState::Submitted);
}

TEST_CASE("A photo from a file is stored encrypted and listed with an in-memory thumbnail", "[app][editor]")
{
    EditorFixture f;
    QAbstractItemModelTester photos(f.editor->attachments(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(Qt::darkRed);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    REQUIRE(image.save(&buffer, "PNG"));
    const auto file = f.store.dir.path() / "photo.png";
    QFile out(QString::fromStdString(file.string()));
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(png);
    out.close();

    QSignalSpy refreshed(f.editor.get(), &IncidentEditor::attachmentsRefreshed);
    f.editor->addPhoto(QUrl::fromLocalFile(QString::fromStdString(file.string())), QStringLiteral("Scene"));
    REQUIRE(waitUntil([&] { return f.editor->attachments()->count() == 1; }));
    const QModelIndex row = f.editor->attachments()->index(0);
    CHECK(row.data(app::AttachmentListModel::CaptionRole).toString() == QLatin1String("Scene"));
    CHECK(row.data(app::AttachmentListModel::ThumbnailRole).toString().startsWith(QLatin1String("data:image/png;base64,")));

    // Not a photo: refused in words, nothing stored.
    const auto text = f.store.dir.path() / "notes.txt";
    QFile notes(QString::fromStdString(text.string()));
    REQUIRE(notes.open(QIODevice::WriteOnly));
    notes.write("not a picture");
    notes.close();
    f.editor->addPhoto(QUrl::fromLocalFile(QString::fromStdString(text.string())), QString());
    REQUIRE(waitUntil([&] { return !f.editor->message().isEmpty(); }));
    CHECK(f.editor->attachments()->count() == 1);
}

TEST_CASE("A photo from the camera is stored like one from a file, metadata removed, and never on disk in the clear",
          "[app][editor][camera][security]")
{
    // Everything this test writes, the store included, is under `tmp`, which is also TMPDIR.
    test::TempDir tmp("vigil-camera");
    TmpDirOverride tmpdir(tmp.path());
    EditorFixture f;
    REQUIRE(f.store.dir.path().string().rfind(tmp.path().string(), 0) == 0);

    const QImage frame = cameraFrame();
    const QByteArray jpeg = app::encodeCapturedPhoto(frame);
    REQUIRE(jpeg.contains("CANARY-camera-note"));  // Qt wrote the text: the sanitiser has something to remove
    const std::string caption = "CANARY-caption bruise on left forearm";

    f.editor->addCapturedPhoto(frame, QString::fromStdString(caption));
    REQUIRE(waitUntil([&] { return f.editor->attachments()->count() == 1; }));
    CHECK(f.editor->message().isEmpty());
    const QModelIndex row = f.editor->attachments()->index(0);
    CHECK(row.data(app::AttachmentListModel::CaptionRole).toString() == QString::fromStdString(caption));
    CHECK(row.data(app::AttachmentListModel::ThumbnailRole).toString().startsWith(QLatin1String("data:image/png;base64,")));

    auto photos = f.storedPhotos();
    REQUIRE(photos.size() == 1);
    const std::vector<std::uint8_t>& stored = photos[0];

    // Sanitised exactly as a JPEG from a file is: only JFIF (APP0) and tables before the
    // picture; the comment with its "GPS" text is gone.
    const auto raw = std::span(reinterpret_cast<const std::uint8_t*>(jpeg.constData()), static_cast<std::size_t>(jpeg.size()));
    CHECK(stored == sanitiseImage(raw).value().bytes);
    const std::set<int> markers = markersBeforeScan(stored);
    CHECK(markers.count(0xFE) == 0);  // COM
    CHECK(markers.count(0xE1) == 0);  // APP1: EXIF, XMP
    CHECK(std::string(stored.begin(), stored.end()).find("CANARY-camera-note") == std::string::npos);

    // Readable back as the same picture.
    const QImage back = QImage::fromData(stored.data(), static_cast<int>(stored.size()));
    REQUIRE_FALSE(back.isNull());
    CHECK(back.size() == frame.size());
    CHECK(near(back.pixel(80, 60), qRgb(200, 30, 30)));
    CHECK(near(back.pixel(240, 60), qRgb(30, 160, 40)));
    CHECK(near(back.pixel(80, 180), qRgb(30, 40, 200)));
    CHECK(near(back.pixel(240, 180), qRgb(240, 240, 240)));

    // Nothing of it in any file under the store or TMPDIR: not the raw pixels, not the JPEG
    // (as encoded or as stored), not its text, not the caption.
    const auto* band = reinterpret_cast<const char*>(frame.constScanLine(4));
    const std::size_t scanStart = stored.size() / 2;
    const std::vector<std::string> needles = {
        std::string(band, 256),
        std::string(jpeg.constData() + jpeg.size() / 2, 64),
        std::string(reinterpret_cast<const char*>(stored.data()) + scanStart, 64),
        "CANARY-camera-note",
        caption,
        "JFIF",
    };
    auto hits = test::scanForPlaintext(tmp.path(), needles);
    for (const auto& h : hits)
        UNSCOPED_INFO("found a needle of " << h.needle.size() << " bytes in " << h.file);
    CHECK(hits.empty());

    // The same JPEG chosen from a file is stored byte for byte the same: one path for both.
    test::TempDir elsewhere("vigil-camera-file");
    const auto file = elsewhere.path() / "frame.jpg";
    QFile out(QString::fromStdString(file.string()));
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(jpeg);
    out.close();
    CHECK(test::scanForPlaintext(elsewhere.path(), {needles[1]}).size() == 1);  // the scan does see a JPEG in the clear
    f.editor->addPhoto(QUrl::fromLocalFile(QString::fromStdString(file.string())), QStringLiteral("Same frame, from a file"));
    REQUIRE(waitUntil([&] { return f.editor->attachments()->count() == 2; }));
    photos = f.storedPhotos();
    REQUIRE(photos.size() == 2);
    CHECK(photos[0] == photos[1]);
}

TEST_CASE("A camera frame that cannot be encoded is refused in words and nothing is stored", "[app][editor][camera]")
{
    EditorFixture f;
    f.editor->addCapturedPhoto(QImage(), QStringLiteral("empty"));
    REQUIRE(waitUntil([&] { return !f.editor->message().isEmpty(); }));
    CHECK(f.editor->message().contains(QLatin1String("add it from a file")));
    CHECK(f.editor->attachments()->count() == 0);
    CHECK(f.storedPhotos().empty());
}


TEST_CASE("A supervisor returns a submitted 124D with notes, then approves it once it is put right", "[app][editor][desk]")
{
    EditorFixture f;
    completeAndSubmit(f);
    CHECK_FALSE(f.editor->reviewable());  // the officer has no decision to make

    f.reopenAs("ds.1907", Role::Supervisor);
    CHECK(f.editor->reviewable());
    CHECK_FALSE(f.editor->editable());
    // A return needs a note: refused in words, nothing changes.
    f.editor->decide(QStringLiteral("return"), QStringLiteral("   "));
    CHECK(f.editor->submitMessage().contains(QLatin1String("write at least one note")));
    CHECK(f.stored().state == LifecycleState::Submitted);
    f.editor->decide(QStringLiteral("return"), QStringLiteral("refs.crimint: add the CRIMINT reference\nCheck the date of birth."));
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.editor->state() == QLatin1String("returned"); }));
    CHECK(f.editor->submitMessage().contains(QLatin1String("Returned to the officer")));
    CHECK(f.stored().state == LifecycleState::Returned);

    // The officer sees the note beside its field, and resubmits.
    f.reopenAs(f.store.officer.userId, Role::Officer);
    CHECK(f.editor->noteFor(QStringLiteral("refs.crimint")) == QLatin1String("add the CRIMINT reference"));
    CHECK(f.editor->reviewBy() == QLatin1String("ds.1907"));
    f.editor->setText(QStringLiteral("refs.crimint"), QStringLiteral("12345678"));
    REQUIRE(f.settled());
    f.editor->submit();
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.editor->state() == QLatin1String("submitted"); }));

    f.reopenAs("ds.1907", Role::Supervisor);
    f.editor->decide(QStringLiteral("approve"), {});
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.editor->state() == QLatin1String("approved"); }));
    CHECK(f.editor->submitMessage().contains(QLatin1String("Approved")));
    CHECK(f.stored().state == LifecycleState::Approved);
    CHECK_FALSE(f.editor->reviewable());
}

TEST_CASE("A supervisor allocates an approved 124D to an officer in the case, moves it, and closes it with a final "
          "risk review",
          "[app][editor][desk]")
{
    EditorFixture f;
    completeAndSubmit(f);
    CHECK_FALSE(f.editor->mayDecide(QStringLiteral("approve")));  // not the officer's decision
    f.reopenAs("ds.1907", Role::Supervisor);
    CHECK(f.editor->mayDecide(QStringLiteral("approve")));
    CHECK_FALSE(f.editor->mayDecide(QStringLiteral("close")));  // not before approval
    f.editor->decide(QStringLiteral("approve"), {});
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.editor->state() == QLatin1String("approved"); }));
    CHECK(f.editor->mayDecide(QStringLiteral("allocate")));
    CHECK(f.editor->mayAllocate());
    f.editor->decide(QStringLiteral("allocate"), QStringLiteral("take the victim's statement today"));
    CHECK(f.editor->submitMessage().contains(QLatin1String("choose the officer in the case")));
    f.editor->allocate({}, {}, QStringLiteral("take the victim's statement today"));
    CHECK(f.editor->submitMessage().contains(QLatin1String("choose the officer in the case")));
    f.editor->allocate(QStringLiteral("dc.2231"), QStringLiteral("DC 2231 Example"), QStringLiteral(" "));
    CHECK(f.editor->submitMessage().contains(QLatin1String("what the officer in the case should do first")));
    CHECK(f.stored().state == LifecycleState::Approved);  // nothing sent
    f.editor->allocate(QStringLiteral("dc.2231"), QStringLiteral("DC 2231 Example"),
                       QStringLiteral("take the victim's statement today"));
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.editor->state() == QLatin1String("under_investigation"); }));
    CHECK(f.editor->submitMessage().contains(QLatin1String("Allocated to DC 2231 Example")));
    CHECK(f.editor->officerInCase() == QLatin1String("DC 2231 Example"));
    {
        const Incident stored = f.stored();
        CHECK(stored.state == LifecycleState::UnderInvestigation);
        CHECK(stored.investigation.officerInCase == "dc.2231");
        CHECK(stored.investigation.officerInCaseName == "DC 2231 Example");
        CHECK(stored.investigation.allocatedBy == "ds.1907");
        CHECK_FALSE(stored.investigation.allocatedAt.empty());
    }
    // An open investigation moves to another officer in the case, without a new command.
    CHECK(f.editor->mayAllocate());
    f.editor->allocate(QStringLiteral("dc.2231"), QStringLiteral("DC 2231 Example"), {});
    CHECK(f.editor->submitMessage().contains(QLatin1String("already the officer in the case")));
    f.editor->allocate(QStringLiteral("dc.4410"), QStringLiteral("DC 4410 Other"), {});
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.stored().investigation.officerInCase == "dc.4410"; }));
    CHECK(f.editor->officerInCaseId() == QLatin1String("dc.4410"));
    CHECK(f.stored().state == LifecycleState::UnderInvestigation);
    f.editor->decide(QStringLiteral("close"), {});
    CHECK(f.editor->submitMessage().contains(QLatin1String("final risk review")));
    f.editor->decide(QStringLiteral("close"), QStringLiteral("Suspect charged and remanded; victim rehoused: risk now standard"));
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.editor->state() == QLatin1String("closed"); }));
    CHECK(f.stored().state == LifecycleState::Closed);
    CHECK_FALSE(f.editor->mayDecide(QStringLiteral("close")));
}

TEST_CASE("A supervisor amends a grade only with a reason, and the amendment names them", "[app][editor][desk]")
{
    EditorFixture f;
    completeAndSubmit(f);
    // The officer cannot write the supervisor's grade, even on their own 124D.
    f.editor->setChoice(QStringLiteral("victims[0].grade.supervisor"), QStringLiteral("standard"));
    CHECK(f.editor->value(QStringLiteral("victims[0].grade.supervisor")).isNull());

    f.reopenAs("ds.1907", Role::Supervisor);
    CHECK(f.editor->mayEdit(QStringLiteral("victims[0].grade.supervisor")));
    CHECK_FALSE(f.editor->mayEdit(QStringLiteral("refs.cad")));  // the officer's parts stay as submitted
    f.editor->setText(QStringLiteral("refs.cad"), QStringLiteral("9999/01JAN26"));
    f.editor->setChoice(QStringLiteral("victims[0].grade.supervisor"), QStringLiteral("medium"));  // down from High
    REQUIRE(f.settled());
    f.editor->decide(QStringLiteral("approve"), {});
    REQUIRE(waitUntil([&] { return !f.editor->submitting(); }));
    CHECK(f.editor->state() == QLatin1String("submitted"));
    bool reasonListed = false;
    for (const auto& p : f.editor->problems()->rows())
        reasonListed = reasonListed || p.field == QLatin1String("victims[0].grade.supervisor_reason");
    CHECK(reasonListed);

    f.editor->setText(QStringLiteral("victims[0].grade.supervisor_reason"),
                      QStringLiteral("Threats were made by text, not in person; the victim has moved away"));
    REQUIRE(f.settled());
    f.editor->decide(QStringLiteral("approve"), {});
    REQUIRE(waitUntil([&] { return !f.editor->submitting() && f.editor->state() == QLatin1String("approved"); }));
    const Incident stored = f.stored();
    CHECK(stored.victims[0].supervisorGrade.grade == RiskGrade::Medium);
    CHECK(stored.victims[0].supervisorGrade.by == "ds.1907");
    CHECK(stored.refs.cad != "9999/01JAN26");
}

TEST_CASE("A supervisor's approve of a 124D that fails the submission rules is refused with every reason",
          "[app][editor][desk]")
{
    EditorFixture f;
    completeAndSubmit(f);
    // Since it was submitted the victim's name and a safe-contact answer went (as a bad merge
    // or a hand-made change could leave it).
    bool broken = false;
    f.worker.post([&] {
        IncidentRepository repo(*f.store.records);
        auto incident = repo.read(f.id);
        if (!incident)
            return;
        incident->victims[0].person.name.clear();
        incident->victims[0].safeContact.text.reset();
        broken = repo.save(Actor{"ds.1907", "test"}, *incident).ok();
    });
    REQUIRE(waitUntil([&] { return broken; }));
    f.reopenAs("ds.1907", Role::Supervisor);
    f.editor->decide(QStringLiteral("approve"), {});
    REQUIRE(waitUntil([&] { return !f.editor->submitting(); }));
    CHECK(f.editor->state() == QLatin1String("submitted"));
    CHECK(f.stored().state == LifecycleState::Submitted);
    std::set<std::string> fields;
    for (const auto& p : f.editor->problems()->rows())
        fields.insert(p.field.toStdString());
    CHECK(fields.count("victims[0].person.name") == 1);
    CHECK(fields.count("victims[0].safe_contact.text") == 1);
    CHECK(f.editor->submitMessage().contains(QLatin1String("Not approved: 2 problem")));
}

TEST_CASE("A returned 124D shows the supervisor's notes, and a line naming a field is placed beside it", "[app][editor]")
{
    EditorFixture f;
    // The return command as a supervisor's device writes it (here straight into this store).
    bool returned = false;
    f.worker.post([&] {
        returned = IncidentRepository(*f.store.records)
                       .transition(Actor{"ds.1907", "quality assurance"}, f.id, LifecycleState::Returned, "return",
                                   "refs.crimint: check the intelligence link\nPlease add the suspect's date of birth.")
                       .ok();
    });
    REQUIRE(waitUntil([&] { return returned; }));
    f.editor->open(QString::fromStdString(f.id));
    REQUIRE(waitUntil([&] { return f.editor->state() == QLatin1String("returned"); }));
    CHECK(f.editor->editable());
    CHECK(f.editor->reviewNote().contains(QLatin1String("date of birth")));
    CHECK(f.editor->reviewBy() == QLatin1String("ds.1907"));
    CHECK(f.editor->noteFor(QStringLiteral("refs.crimint")) == QLatin1String("check the intelligence link"));
    CHECK(f.editor->noteFor(QStringLiteral("refs.cad")).isEmpty());
    const QVariantList notes = f.editor->notesForSection(IncidentEditor::IncidentSection);
    REQUIRE(notes.size() == 1);
    CHECK(notes.front().toMap().value(QStringLiteral("field")).toString() == QLatin1String("refs.crimint"));
}

TEST_CASE("Field paths are located in the wizard's sections", "[app][editor]")
{
    EditorFixture f;
    // The locating rules the wizard's jump-to-field and the notes share.
    CHECK(f.editor->locate(QStringLiteral("refs.merlin_pac")).value(QStringLiteral("section")).toInt() == IncidentEditor::IncidentSection);
    CHECK(f.editor->locate(QStringLiteral("children[0].age")).value(QStringLiteral("section")).toInt() == IncidentEditor::ChildrenSection);
    CHECK(f.editor->locate(QStringLiteral("positive_action.no_arrest_justification")).value(QStringLiteral("section")).toInt()
          == IncidentEditor::PositiveActionSection);
    CHECK(f.editor->locate(QStringLiteral("victims[1].marac.decision")).value(QStringLiteral("victim")).toInt() == 1);
    CHECK(f.editor->locate(QStringLiteral("victims")).value(QStringLiteral("section")).toInt() == IncidentEditor::VictimsSection);
}

TEST_CASE("Opening a 124D in the editor writes one audit entry", "[app][editor]")
{
    EditorFixture f;  // opened once
    const auto opened = [&f] {
        int n = 0;
        bool done = false;
        f.worker.post([&] {
            auto entries = f.store.records->auditLog().forRecord(f.id);
            if (entries) {
                for (const auto& e : *entries)
                    n += e.action == AuditAction::Consultation && e.detail == "124D opened" ? 1 : 0;
            }
            done = true;
        });
        REQUIRE(waitUntil([&] { return done; }));
        return n;
    };
    CHECK(opened() == 1);
    f.editor->open(QString::fromStdString(f.id));
    REQUIRE(waitUntil([&] { return f.editor->incidentId() == QString::fromStdString(f.id) && !f.editor->loading(); }));
    CHECK(opened() == 2);
}

TEST_CASE("Sharing without consent needs a lawful basis and its justification, and the screen says which applies",
          "[app][editor][referrals][consent]")
{
    EditorFixture f;
    f.editor->addVictim();
    REQUIRE(f.editor->victimCount() == 1);
    const auto basis = [&](const QString& agency) {
        return f.editor->sharing(0, agency).value(QStringLiteral("basis")).toString();
    };
    const auto allowed = [&](const QString& agency) {
        return f.editor->sharing(0, agency).value(QStringLiteral("allowed")).toBool();
    };
    CHECK(basis(QString()) == QLatin1String("none"));
    CHECK_FALSE(allowed(QString()));

    // The officer types the law but not why: still no referral, and the words say what is missing.
    f.editor->setChoice(QStringLiteral("victims[0].consent.share_with_partners"), false);
    f.editor->setText(QStringLiteral("victims[0].consent.lawful_basis"), QStringLiteral("Crime and Disorder Act 1998 s.115"));
    CHECK(basis(QStringLiteral("idva")) == QLatin1String("partial"));
    f.editor->addReferral(0, QStringLiteral("idva"));
    CHECK(f.editor->referralCount() == 0);
    CHECK(f.editor->message().contains(QStringLiteral("A lawful basis needs its justification")));

    // With why it is necessary and proportionate, the referral is made and names its basis.
    f.editor->setText(QStringLiteral("victims[0].consent.justification"),
                      QStringLiteral("Very high risk after a strangulation; she declined out of fear of him"));
    CHECK(basis(QStringLiteral("idva")) == QLatin1String("lawful_basis"));
    CHECK(f.editor->sharing(0, QStringLiteral("idva")).value(QStringLiteral("text")).toString().contains(
        QStringLiteral("on a lawful basis: Crime and Disorder Act 1998 s.115")));
    f.editor->addReferral(0, QStringLiteral("idva"));
    REQUIRE(f.settled());
    CHECK(f.editor->referralCount() == 1);
    Incident stored = f.stored();
    REQUIRE(stored.victims.size() == 1);
    CHECK(stored.victims[0].consent.lawfulBasis == "Crime and Disorder Act 1998 s.115");
    CHECK(stored.victims[0].consent.justification
          == "Very high risk after a strangulation; she declined out of fear of him");
    CHECK(stored.victims[0].consent.shareWithPartners == std::optional<bool>(false));
    REQUIRE(stored.referrals.size() == 1);
    CHECK(stored.referrals[0].agency == "idva");
}

TEST_CASE("Consent to a MARAC referral alone lets a referral to the MARAC be made and no other",
          "[app][editor][referrals][consent]")
{
    EditorFixture f;
    f.editor->addVictim();
    f.editor->setChoice(QStringLiteral("victims[0].consent.marac_referral"), true);
    CHECK(f.editor->sharing(0, QString()).value(QStringLiteral("basis")).toString() == QLatin1String("marac_consent"));
    CHECK(f.editor->sharing(0, QStringLiteral("refuge")).value(QStringLiteral("allowed")).toBool() == false);
    // "Add a referral" adds one to the MARAC, the only agency her consent covers.
    f.editor->addReferral(0, QString());
    REQUIRE(f.settled());
    REQUIRE(f.editor->referralCount() == 1);
    CHECK(f.editor->referrals(0)[0].toMap().value(QStringLiteral("agency")).toString() == QLatin1String("marac"));
    // Sending it to a refuge instead is refused with words, and the MARAC referral stays.
    f.editor->setChoice(QStringLiteral("referrals[0].agency"), QStringLiteral("refuge"));
    CHECK(f.editor->message().contains(QStringLiteral("consents to a MARAC referral only")));
    REQUIRE(f.settled());
    Incident stored = f.stored();
    REQUIRE(stored.referrals.size() == 1);
    CHECK(stored.referrals[0].agency == "marac");
}

TEST_CASE("Referrals to partner agencies are added, edited and removed per victim and survive reopening",
          "[app][editor][referrals]")
{
    EditorFixture f;
    f.editor->addVictim();
    f.editor->addVictim();
    REQUIRE(f.editor->victimCount() == 2);
    // Without the victim's consent (or a lawful basis and why) no referral is added: it would disclose.
    f.editor->addReferral(0, QStringLiteral("idva"));
    CHECK(f.editor->referralCount() == 0);
    CHECK(f.editor->message().contains(QStringLiteral("No referral can be made yet")));
    CHECK(f.editor->message().contains(QStringLiteral("Record her consent to share")));
    f.editor->setChoice(QStringLiteral("victims[0].consent.share_with_partners"), true);
    f.editor->setText(QStringLiteral("victims[1].consent.lawful_basis"), QStringLiteral("Crime and Disorder Act 1998 s.115"));
    f.editor->setText(QStringLiteral("victims[1].consent.justification"), QStringLiteral("high risk of serious harm"));
    f.editor->addReferral(0, QStringLiteral("idva"));
    f.editor->addReferral(1, QStringLiteral("refuge"));
    f.editor->addReferral(0, QString());
    REQUIRE(f.settled());
    REQUIRE(f.editor->referralCount() == 3);

    // Each victim's tab lists only their own, with its place in the incident's list.
    const QVariantList first = f.editor->referrals(0);
    REQUIRE(first.size() == 2);
    CHECK(first[0].toMap().value(QStringLiteral("agency")).toString() == QLatin1String("idva"));
    CHECK(first[1].toMap().value(QStringLiteral("index")).toInt() == 2);
    const QVariantList second = f.editor->referrals(1);
    REQUIRE(second.size() == 1);
    CHECK(second[0].toMap().value(QStringLiteral("agency")).toString() == QLatin1String("refuge"));
    CHECK(second[0].toMap().value(QStringLiteral("index")).toInt() == 1);
    // Dated today on the device (the fixture's clock).
    CHECK(first[0].toMap().value(QStringLiteral("date")).toString().size() == 10);

    // Edited like any field: a tap saves at once, typed text within a second.
    f.editor->setChoice(QStringLiteral("referrals[2].agency"), QStringLiteral("housing"));
    f.editor->setText(QStringLiteral("referrals[0].notes"), QStringLiteral("Consent given; IDVA told by phone"));
    f.editor->setText(QStringLiteral("referrals[0].date"), QStringLiteral("2026-11-20"));
    f.editor->setText(QStringLiteral("referrals[0].to_user"), QStringLiteral("idva.demo"));

    // Meanwhile another device's change to the refuge referral arrives: it must survive.
    bool written = false;
    f.worker.post([&] {
        IncidentRepository repo(*f.store.records);
        auto incident = repo.read(f.id);
        incident->referrals[1].notes = "Space confirmed at 22:10";
        written = repo.save(f.store.officer, *incident).ok();
    });
    REQUIRE(f.settled());
    REQUIRE(written);
    Incident stored = f.stored();
    REQUIRE(stored.referrals.size() == 3);
    const auto byAgency = [&stored](const std::string& agency) -> const Referral* {
        for (const auto& r : stored.referrals) {
            if (r.agency == agency)
                return &r;
        }
        return nullptr;
    };
    REQUIRE(byAgency("idva"));
    CHECK(byAgency("idva")->notes == "Consent given; IDVA told by phone");
    CHECK(byAgency("idva")->date == "2026-11-20");
    CHECK(byAgency("idva")->toUser == "idva.demo");
    CHECK(byAgency("idva")->victimId == stored.victims[0].id);
    REQUIRE(byAgency("housing"));
    REQUIRE(byAgency("refuge"));
    CHECK(byAgency("refuge")->notes == "Space confirmed at 22:10");
    CHECK(byAgency("refuge")->victimId == stored.victims[1].id);

    // Removed: gone from the store too.
    const int housing = f.editor->referrals(0)[1].toMap().value(QStringLiteral("index")).toInt();
    f.editor->removeReferral(housing);
    REQUIRE(f.settled());
    CHECK(f.editor->referrals(0).size() == 1);
    stored = f.stored();
    CHECK(stored.referrals.size() == 2);
    CHECK_FALSE(byAgency("housing"));

    // Reopened: everything is read back from the store.
    f.editor->close();
    f.editor->open(QString::fromStdString(f.id));
    REQUIRE(waitUntil([&] { return f.editor->incidentId() == QString::fromStdString(f.id) && !f.editor->loading(); }));
    REQUIRE(f.editor->referralCount() == 2);
    const QVariantList again = f.editor->referrals(0);
    REQUIRE(again.size() == 1);
    CHECK(again[0].toMap().value(QStringLiteral("notes")).toString() == QLatin1String("Consent given; IDVA told by phone"));
    const int notesAt = again[0].toMap().value(QStringLiteral("index")).toInt();
    CHECK(f.editor->value(QStringLiteral("referrals[%1].to_user").arg(notesAt)).toString() == QLatin1String("idva.demo"));

    // Removing a victim removes their referrals with them.
    f.editor->removeVictim(1);
    REQUIRE(f.settled());
    CHECK(f.editor->referralCount() == 1);
    CHECK(f.stored().referrals.size() == 1);
}

TEST_CASE("Referral problems at submission are located on the referral's victim in the MARAC section",
          "[app][editor][referrals]")
{
    EditorFixture f;
    f.editor->addVictim();
    f.editor->addVictim();
    f.editor->setChoice(QStringLiteral("victims[1].consent.share_with_partners"), true);
    f.editor->addReferral(1, QString());  // no agency chosen
    f.editor->addReferral(1, QStringLiteral("other"));  // other, with no note naming it
    REQUIRE(f.settled());
    f.editor->setText(QStringLiteral("referrals[0].date"), QStringLiteral("20/11/2026"));
    REQUIRE(f.settled());
    f.editor->submit();
    REQUIRE(waitUntil([&] { return !f.editor->submitting(); }));
    CHECK(f.editor->state() == QLatin1String("draft"));

    const QVariantMap agency = f.problemFor(QStringLiteral("referrals[0].agency"));
    REQUIRE_FALSE(agency.isEmpty());
    CHECK(agency.value(QStringLiteral("section")).toInt() == IncidentEditor::MaracSection);
    CHECK(agency.value(QStringLiteral("victim")).toInt() == 1);
    CHECK(agency.value(QStringLiteral("message")).toString().contains(QLatin1String("agency")));
    const QVariantMap date = f.problemFor(QStringLiteral("referrals[0].date"));
    REQUIRE_FALSE(date.isEmpty());
    CHECK(date.value(QStringLiteral("message")).toString().contains(QLatin1String("20/11/2026")));
    const QVariantMap other = f.problemFor(QStringLiteral("referrals[1].notes"));
    REQUIRE_FALSE(other.isEmpty());
    CHECK(other.value(QStringLiteral("victim")).toInt() == 1);
    CHECK(f.editor->problems()->countIn(IncidentEditor::MaracSection) >= 3);

    // Put right, the referral problems are gone.
    f.editor->setChoice(QStringLiteral("referrals[0].agency"), QStringLiteral("victim_support"));
    f.editor->setText(QStringLiteral("referrals[0].date"), QStringLiteral("2026-11-20"));
    f.editor->setText(QStringLiteral("referrals[1].notes"), QStringLiteral("Local men's service"));
    REQUIRE(f.settled());
    f.editor->submit();
    REQUIRE(waitUntil([&] { return !f.editor->submitting(); }));
    for (const auto& p : f.editor->problems()->rows())
        CHECK_FALSE(p.field.startsWith(QLatin1String("referrals")));
}

TEST_CASE("Offences are typed one per line and saved as a list", "[app][editor]")
{
    EditorFixture f;
    f.editor->setChoice(QStringLiteral("incident.crime"), true);
    f.editor->setOffences(QStringLiteral("Common assault\n\n  Criminal damage  \n"));
    CHECK(f.editor->offencesText() == QLatin1String("Common assault\nCriminal damage"));
    REQUIRE(f.settled());
    const Incident stored = f.stored();
    CHECK(stored.crime == true);
    CHECK(stored.offences == std::vector<std::string>{"Common assault", "Criminal damage"});
}

TEST_CASE("The editor offers only what the authority policy lets its user do", "[app][editor][authority]")
{
    EditorFixture f;
    // The owner edits the draft, but does not restrict it: that is a supervisor's decision.
    CHECK(f.editor->editable());
    CHECK(f.editor->mayEdit(QStringLiteral("refs.cad")));
    CHECK_FALSE(f.editor->mayEdit(QStringLiteral("flags.police_staff_involved")));
    CHECK(f.editor->authorityNote(QStringLiteral("flags.police_staff_involved"))
              .contains(QStringLiteral("Tell your supervisor police staff are involved")));
    CHECK(f.editor->authorityNote(QStringLiteral("refs.cad")).isEmpty());
    CHECK_FALSE(f.editor->mayEdit(QStringLiteral("victims[0].grade.supervisor")));

    // A team colleague reads it and cannot change it.
    f.reopenAs("pc.colleague", Role::Officer);
    CHECK_FALSE(f.editor->editable());
    CHECK_FALSE(f.editor->mayEdit(QStringLiteral("refs.cad")));

    // A supervisor may edit the draft and restrict it (with a reason), not grade it yet.
    f.reopenAs("ds.supervisor", Role::Supervisor);
    CHECK(f.editor->editable());
    CHECK(f.editor->mayEdit(QStringLiteral("flags.police_staff_involved")));
    CHECK(f.editor->mayEdit(QStringLiteral("restriction.reason")));
    CHECK_FALSE(f.editor->mayEdit(QStringLiteral("victims[0].grade.supervisor")));  // not before it is submitted

    // The supervisor restricts it, with the reason, and both are saved on the device.
    f.editor->setChoice(QStringLiteral("flags.police_staff_involved"), true);
    f.editor->setText(QStringLiteral("restriction.reason"), QStringLiteral("The suspect is a serving police officer"));
    REQUIRE(f.settled());
    const Incident stored = f.stored();
    CHECK(stored.flags.policeStaffInvolved);
    CHECK(stored.restrictionReason == "The suspect is a serving police officer");
}

TEST_CASE("A supervisor settles a kept conflict from the desk: the other value is taken and the conflict goes",
          "[app][desk][conflict]")
{
    test::RecordsFixture store;
    StoreAccess access{store};
    access.signedIn = Actor{"ds.1907", "quality assurance"};
    access.signedInRole = Role::Supervisor;
    app::StoreWorker worker;
    // Two devices changed the CRIS reference from one base: the other device's value shows.
    const std::string id = newUuid();
    bool made = false;
    worker.post([&] {
        RecordStore& r = *store.records;
        made = r.create(store.officer, Entity::Incident, id, id, "", nlohmann::json::object(), {{"refs.cris", "0101"}}).ok();
        const auto base = r.get(Entity::Incident, id).value()->stamps.at("refs.cris").hlc;
        store.time.advance(std::chrono::seconds(5));
        made = made && r.write(store.officer, Entity::Incident, id, {{"refs.cris", "0102-here"}}).ok();
        const auto local = r.get(Entity::Incident, id).value()->stamps.at("refs.cris").hlc;
        Op other;
        other.opId = newUuid();
        other.device = "device-B";
        other.seq = 9;
        other.entity = "incident";
        other.id = id;
        other.field = "refs.cris";
        other.value = "0103-there";
        other.base = base;
        other.hlc = local + 10;
        made = made && r.applyPulled({other}, "c1").ok();
    });
    REQUIRE(waitUntil([&] { return made; }));

    app::ConflictListModel model(&worker, &access);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.refresh();
    REQUIRE(waitUntil([&] { return !model.busy() && model.count() == 1; }));
    const auto at = [&](int role) { return model.data(model.index(0, 0), role).toString(); };
    CHECK(at(app::ConflictListModel::FieldRole) == QLatin1String("refs.cris"));
    CHECK(at(app::ConflictListModel::ShownValueRole) == QLatin1String("0103-there"));
    CHECK(at(app::ConflictListModel::OtherValueRole) == QLatin1String("0102-here"));
    CHECK(at(app::ConflictListModel::ReferenceRole).startsWith(QLatin1String("V-")));

    QSignalSpy resolved(&model, &app::ConflictListModel::resolved);
    model.resolve(0, QStringLiteral("other"));
    REQUIRE(waitUntil([&] { return resolved.count() == 1 && !model.busy() && model.count() == 0; }));
    CHECK(model.message().isEmpty());
    CHECK(access.changes > 0);  // the decision goes with the next sync
    std::string cris;
    bool read = false;
    worker.post([&] {
        cris = store.records->get(Entity::Incident, id).value()->field("refs.cris").get<std::string>();
        read = true;
    });
    REQUIRE(waitUntil([&] { return read; }));
    CHECK(cris == "0102-here");
    worker.shutdown();
}
