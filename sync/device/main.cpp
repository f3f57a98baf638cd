// vigil-device: a headless device on the same sync client and key store as the app.
// Used by tests, by benchmarks to simulate devices, and by newcomers before the app exists.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <QCoreApplication>

#include <sodium.h>

#include "core/demo/DemoData.h"
#include "core/records/IncidentRepository.h"
#include "core/records/RecordDigest.h"
#include "core/risk/Lifecycle.h"
#include "core/risk/RiskModelDir.h"
#include "core/store/SecureStore.h"
#include "platform/ProcessHardening.h"
#include "platform/QtKeychainSecretStore.h"
#include "sync/client/DeviceLink.h"
#include "sync/client/SyncEngine.h"
#include "sync/protocol/Encoding.h"

namespace {

using namespace vigil;
using namespace vigil::sync;

constexpr const char* kHelp = R"(Usage: vigil-device COMMAND --dir DIR [options]

A headless Vigil device. Its credential and the server pin live in the OS key store
(Secret Service); DIR is the device's data folder and names its key-store entries.

Commands:
  enrol --dir DIR --code CODE [--name NAME]
        trade a one-time enrolment code (from `vigil-admin enrol-code create`) for a
        device credential. The first connection is pinned to the key in the code.
  status --dir DIR
        show the enrolment, the server's view of this device, and (when DIR holds a
        records store) changes waiting, last sync, changes the server refused (with its
        reasons) and conflicts
  demo --dir DIR --incidents N [--seed S]
        make N synthetic incidents (invented people, never real data) owned by the
        enrolled user, in the records store in DIR (created on first use)
  sync --dir DIR
        one complete sync (send waiting changes, receive what this user may see) and
        print the status line
  return --dir DIR --note TEXT [--incident ID]
        as a supervisor, return a submitted 124D to its officer with QA notes (a line
        "field.path: note" is shown beside that field); without --incident, the most
        recent submitted 124D on this device. Sync before (to have it) and after (to send)
  conflicts --dir DIR
        list the conflicts kept for a supervisor (field, both values' authors and times)
  digest --dir DIR
        row counts and a content hash of the records on this device, to compare with
        another device or the server (`digest <hash> <rows>`, then `<table> <rows>` lines)
  forget --dir DIR
        remove this device's credential from the key store
  wipe-check --dir DIR
        the wipe check, as the app runs it (no PIN needed, works while locked): when the
        server has ordered a wipe, destroy the records store's key and files and the
        credential, then report it; also delivers a wipe report still owed
  wipe --dir DIR
        wipe this device now (user-initiated), then report it to the server. What would be
        lost is shown by `status` ("not yet sent") first

The records store in DIR is unlocked for each command with the PIN from the environment
variable VIGIL_DEVICE_PIN, or the first line of standard input (at least 6 digits; the
first command that needs the store sets it up with that PIN). VIGIL_DEVICE_KDF=interactive
uses a faster key derivation (tests only).
  --help
        this help

Exit status: 0 done; 1 failed (message on stderr); 2 misuse; 3 the device is revoked
or unknown to the server; 4 wipe-check or wipe erased this device.
)";

int usage(const std::string& message)
{
    std::fprintf(stderr, "vigil-device: %s\nRun `vigil-device --help` for usage.\n", message.c_str());
    return 2;
}

int failed(const Error& e)
{
    std::fprintf(stderr, "vigil-device: %s\n", e.message.c_str());
    return 1;
}

/// Key-store entries of one device folder: "device-" + 16 hex of SHA-256(absolute path).
std::string profileFor(const std::filesystem::path& dir)
{
    std::error_code ec;
    const std::string path = std::filesystem::weakly_canonical(std::filesystem::absolute(dir), ec).string();
    const auto digest = sha256({reinterpret_cast<const unsigned char*>(path.data()), path.size()});
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "device-";
    for (std::size_t i = 0; i < 8; ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 15]);
    }
    return out;
}


void wipeString(std::string& text)
{
    sodium_memzero(text.data(), text.size());
    text.clear();
}

std::string readPin()
{
    std::string pin;
    if (const char* env = std::getenv("VIGIL_DEVICE_PIN"))
        pin = env;
    else
        std::getline(std::cin, pin);
    return pin;
}

/// Unlock (setting up on first use) the records store in DIR/store, and run one of the
/// commands that need it. The PIN is wiped once the store is open.
int recordsCommand(const std::string& command, const std::string& dir, const DeviceEnrolment& enrolment,
                   DeviceLink& link, SecretStore& secrets, int incidents, std::uint64_t seed, const std::string& note,
                   std::string incidentId)
{
    std::string pin = readPin();
    StoreConfig config;
    config.profile = profileFor(dir) + "-records";
    if (const char* kdf = std::getenv("VIGIL_DEVICE_KDF"); kdf && std::string(kdf) == "interactive")
        config.kdf = KdfStrength::Interactive;
    SecureStore secure(std::filesystem::path(dir) / "store", secrets, config);
    if (!secure.isSetUp()) {
        if (command == "status" || command == "conflicts" || command == "digest") {
            wipeString(pin);
            std::printf("No records on this device yet.\n");
            return 0;
        }
        if (Status s = secure.setUp(pin); !s.ok()) {
            wipeString(pin);
            return failed(s.error());
        }
    }
    auto db = secure.unlock(pin);
    wipeString(pin);
    if (!db)
        return failed(db.error());
    auto opened = RecordStore::open(**db, systemClock());
    if (!opened)
        return failed(opened.error());
    RecordStore& records = **opened;
    if (records.deviceId() != enrolment.deviceId) {
        // Ops carry the device id: it must be the enrolled one before anything is written.
        auto pending = records.pendingCount();
        auto ids = records.incidentIds(1);
        if (!pending || !ids || *pending > 0 || !ids->empty()) {
            return failed(makeError(ErrorCode::InvalidArgument,
                                    "This records store was written before this enrolment (another device id). "
                                    "Use a new folder for the enrolled device."));
        }
        if (Status s = records.setDeviceId(enrolment.deviceId); !s.ok())
            return failed(s.error());
    }
    const Actor actor{enrolment.user.id, "using the headless device tool"};

    if (command == "demo") {
        auto modelDir = shippedRiskModelDir();
        if (!modelDir)
            return failed(modelDir.error());
        auto models = RiskModelRegistry::loadDirectory(*modelDir);
        if (!models)
            return failed(models.error());
        auto rules = loadRulesConfigFile(*modelDir / "rules-default.json");
        if (!rules)
            return failed(rules.error());
        DemoOptions options;
        options.incidents = incidents;
        options.seed = seed;
        options.owner = enrolment.user.id;
        options.team = enrolment.user.team;
        options.borough = enrolment.user.borough;
        IncidentRepository repo(records);
        auto summary = generateDemoData(repo, records, *models, *rules, options, Actor{enrolment.user.id, "synthetic demo data"});
        if (!summary)
            return failed(summary.error());
        std::printf("Made %d synthetic incidents (%d victims) for %s.\n", summary->incidents, summary->victims,
                    enrolment.user.id.c_str());
        return 0;
    }
    if (command == "return") {
        IncidentRepository repo(records);
        if (incidentId.empty()) {
            auto ids = records.incidentIds(100000);
            if (!ids)
                return failed(ids.error());
            std::string newest;
            for (const auto& id : *ids) {
                auto incident = repo.read(id);
                if (incident && incident->state == LifecycleState::Submitted && (incidentId.empty() || incident->date > newest)) {
                    incidentId = id;
                    newest = incident->date;
                }
            }
            if (incidentId.empty())
                return failed(makeError(ErrorCode::NotFound, "No submitted 124D on this device to return: sync first."));
        }
        // The lifecycle's own rule, as the server will check it: a move it would refuse is not
        // queued (it would wait in the outbox only to be refused at the next sync).
        auto incident = repo.read(incidentId);
        if (!incident)
            return failed(incident.error());
        const auto role = vigil::roleFromString(roleName(enrolment.user.role));
        if (!role)
            return failed(makeError(ErrorCode::InvalidArgument, "This device's user has a role Vigil does not know. "
                                                                "Nothing was changed; tell your administrator."));
        if (auto rule = findTransition(incident->state, LifecycleState::Returned, *role); !rule)
            return failed(rule.error());
        if (Status s = repo.transition(actor, incidentId, LifecycleState::Returned, "return", note); !s.ok())
            return failed(s.error());
        std::printf("Returned %s to its officer; sync to send it.\n", incidentId.c_str());
        return 0;
    }
    if (command == "digest") {
        auto digest = digestRecords(records.database());
        if (!digest)
            return failed(digest.error());
        std::printf("digest %s %lld\n", digest->hash.c_str(), static_cast<long long>(digest->total));
        for (const auto& [table, rows] : digest->rows)
            std::printf("%s %lld\n", table.c_str(), static_cast<long long>(rows));
        return 0;
    }
    if (command == "conflicts") {
        auto list = records.conflicts();
        if (!list)
            return failed(list.error());
        std::printf("%zu conflict(s)\n", list->size());
        for (const auto& c : *list) {
            std::printf("%s %s field %s: showing the %s value (by %s); the other (by %s) is kept\n",
                        std::string(toString(c.entity)).c_str(), c.recordId.c_str(), c.field.c_str(), c.winner.c_str(),
                        (c.winner == "local" ? c.kept.origin : c.lost.origin).c_str(),
                        (c.winner == "local" ? c.lost.origin : c.kept.origin).c_str());
        }
        return 0;
    }
    if (command == "sync") {
        auto session = link.session();  // the key store is read here, on the Qt thread
        if (!session)
            return failed(session.error());
        SyncEngineOptions options;
        // Tests only: smaller snapshot pages, so a kill can land between them.
        if (const char* page = std::getenv("VIGIL_DEVICE_SNAPSHOT_PAGE"))
            options.snapshotPage = static_cast<std::size_t>(std::max(0L, std::strtol(page, nullptr, 10)));
        SyncEngine engine(**session, options);
        engine.start(records, actor);
        auto report = engine.syncOnce();
        const SyncStatus status = engine.status();
        const SyncReport totals = engine.totals();  // the sync start() ran at once, and this one
        engine.stop();
        std::printf("%s\n", status.text().c_str());
        if (!report)
            return report.error().code == ErrorCode::Revoked || report.error().code == ErrorCode::Unauthorised ? 3 : 1;
        std::printf("Sent %lld, refused %lld, received %lld, removed %lld incident(s) no longer yours to see.\n",
                    static_cast<long long>(totals.pushed), static_cast<long long>(totals.rejected),
                    static_cast<long long>(totals.pulled), static_cast<long long>(totals.forgotten));
        return 0;
    }
    // status
    auto queued = records.pendingCount();
    auto rejected = records.rejectedOps();
    auto last = records.lastSyncedAt();
    auto conflicts = records.conflicts();
    auto ids = records.incidentIds(100000);
    if (!queued || !rejected || !last || !conflicts || !ids)
        return failed(makeError(ErrorCode::Corrupt, "The records store could not be read. Report this to support."));
    std::printf("Records: %zu incident(s); %lld change(s) waiting to send; last synced %s; %zu conflict(s)\n",
                ids->size(), static_cast<long long>(*queued), last->empty() ? "never" : last->c_str(),
                conflicts->size());
    if (auto unsent = records.unsentSummary(); unsent) {
        std::printf("Not yet sent (lost if this device were wiped now): %lld record(s), %lld change(s), %lld photo(s)\n",
                    static_cast<long long>(unsent->records), static_cast<long long>(unsent->changes),
                    static_cast<long long>(unsent->photos));
    }
    std::printf("Refused by the server: %zu\n", rejected->size());
    for (const auto& [op, reason] : *rejected)
        std::printf("  change %lld (%s %s): %s\n", static_cast<long long>(op.seq), op.entity.c_str(), op.field.c_str(),
                    reason.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    vigil::hardenProcess();
    ::umask(077);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty())
        return usage("say which command to run");
    if (args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
        std::fputs(kHelp, stdout);
        return 0;
    }
    const std::string command = args.front();
    std::string dir;
    std::string code;
    std::string name = "vigil-device";
    std::string incidents;
    std::string seed = "2026";
    std::string note;
    std::string incident;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help") {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (a != "--dir" && a != "--code" && a != "--name" && a != "--incidents" && a != "--seed" && a != "--note"
            && a != "--incident")
            return usage("unknown option \"" + a + "\"");
        if (i + 1 >= args.size())
            return usage(a + " needs a value");
        (a == "--dir"         ? dir
         : a == "--code"      ? code
         : a == "--name"      ? name
         : a == "--incidents" ? incidents
         : a == "--note"      ? note
         : a == "--incident"  ? incident
                              : seed) = args[++i];
    }
    if (command != "enrol" && command != "status" && command != "forget" && command != "demo" && command != "sync"
        && command != "conflicts" && command != "digest" && command != "wipe-check" && command != "wipe"
        && command != "return")
        return usage("unknown command \"" + command + "\"");
    if (dir.empty())
        return usage(command + " needs --dir DIR");
    if (command == "enrol" && code.empty())
        return usage("enrol needs --code CODE");
    if (command != "enrol" && !code.empty())
        return usage("--code is only for enrol");
    if (command == "demo" && (std::atoi(incidents.c_str()) < 1 || std::atoi(incidents.c_str()) > 100000))
        return usage("demo needs --incidents N (1 to 100000)");
    if (command != "demo" && !incidents.empty())
        return usage("--incidents is only for demo");
    if (command == "return" && note.empty())
        return usage("return needs --note TEXT (the QA notes the officer will see)");
    if (command != "return" && (!note.empty() || !incident.empty()))
        return usage("--note and --incident are only for return");

    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return failed(makeError(ErrorCode::Io, "Cannot create the device folder " + dir + ": " + ec.message()));
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);

    QCoreApplication app(argc, argv);  // QtKeychain talks D-Bus through Qt
    QtKeychainSecretStore secrets("Vigil");
    SyncClient client;
    DeviceLink link(client, secrets, profileFor(dir));

    if (command == "enrol") {
        auto enrolled = link.enrol(code, name);
        if (!enrolled)
            return failed(enrolled.error());
        std::printf("Enrolled as device %s for %s (%s, team %s) with server %s:%u.\n", enrolled->deviceId.c_str(),
                    enrolled->user.id.c_str(), std::string(roleName(enrolled->user.role)).c_str(),
                    enrolled->user.team.c_str(), enrolled->server.host.c_str(), enrolled->server.port);
        return 0;
    }
    if (command == "forget") {
        if (Status s = link.forget(); !s.ok())
            return failed(s.error());
        std::printf("Removed this device's credential from the key store.\n");
        return 0;
    }
    if (command == "wipe-check" || command == "wipe") {
        // Only the key store and the files: no PIN, so this works while the app is locked.
        StoreConfig config;
        config.profile = profileFor(dir) + "-records";
        SecureStore secure(std::filesystem::path(dir) / "store", secrets, config);
        const DestroyLocalData destroy = [&secure] { return secure.wipe(); };
        auto outcome = command == "wipe" ? link.wipe(WipeReason::User, destroy) : link.checkAndWipe(destroy);
        if (!outcome)
            return failed(outcome.error());
        std::printf("%s\n", outcome->message.c_str());
        return outcome->wiped ? 4 : 0;
    }
    auto enrolment = link.enrolment();
    if (!enrolment)
        return failed(enrolment.error());
    if (command == "demo" || command == "sync" || command == "conflicts" || command == "digest" || command == "return") {
        if (!*enrolment) {
            std::fprintf(stderr, "vigil-device: this device is not enrolled. Enrol with: vigil-device enrol --dir %s "
                                 "--code CODE\n", dir.c_str());
            return 3;
        }
        return recordsCommand(command, dir, **enrolment, link, secrets, std::atoi(incidents.c_str()),
                              std::strtoull(seed.c_str(), nullptr, 10), note, incident);
    }
    if (!*enrolment) {
        std::printf("Not enrolled. Enrol with: vigil-device enrol --dir %s --code CODE\n", dir.c_str());
        return 3;
    }
    const auto& e = **enrolment;
    std::printf("Device %s, enrolled with %s:%u (pin %s)\n", e.deviceId.c_str(), e.server.host.c_str(), e.server.port,
                pinToText(e.server.pin).c_str());
    auto standing = link.checkStanding();
    if (!standing)
        return failed(standing.error());
    switch (standing->state) {
    case DeviceStanding::State::Active:
        std::printf("Server: active; user %s (%s, team %s, borough %s, scope %s)%s\n", standing->status->user.id.c_str(),
                    std::string(roleName(standing->status->user.role)).c_str(), standing->status->user.team.c_str(),
                    standing->status->user.borough.c_str(), std::string(scopeName(standing->status->user.scope)).c_str(),
                    standing->wipe ? "; WIPE ORDERED" : "");
        if (std::filesystem::exists(std::filesystem::path(dir) / "store"))
            return recordsCommand("status", dir, e, link, secrets, 0, 0, {}, {});
        return 0;
    case DeviceStanding::State::Revoked:
        std::printf("Server: REVOKED%s. %s\n", standing->wipe ? ", wipe ordered" : "", standing->message.c_str());
        return 3;
    case DeviceStanding::State::Unknown:
        std::printf("Server: does not know this device. %s\n", standing->message.c_str());
        return 3;
    case DeviceStanding::State::Expired:
        std::printf("Server: SIGN-IN EXPIRED. %s\n", standing->message.c_str());
        if (std::filesystem::exists(std::filesystem::path(dir) / "store"))
            (void)recordsCommand("status", dir, e, link, secrets, 0, 0, {}, {});
        return 3;
    }
    return 1;
}
