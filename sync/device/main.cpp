// vigil-device: a headless device on the same sync client and key store as the app.
// Used by tests, by benchmarks to simulate devices, and by newcomers before the app exists.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <QCoreApplication>

#include "platform/ProcessHardening.h"
#include "platform/QtKeychainSecretStore.h"
#include "sync/client/DeviceLink.h"
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
        show the enrolment and ask the server for this device's standing
  forget --dir DIR
        remove this device's credential from the key store
  --help
        this help

Exit status: 0 done; 1 failed (message on stderr); 2 misuse; 3 the device is revoked
or unknown to the server.
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
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help") {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (a != "--dir" && a != "--code" && a != "--name")
            return usage("unknown option \"" + a + "\"");
        if (i + 1 >= args.size())
            return usage(a + " needs a value");
        (a == "--dir" ? dir : a == "--code" ? code : name) = args[++i];
    }
    if (command != "enrol" && command != "status" && command != "forget")
        return usage("unknown command \"" + command + "\"");
    if (dir.empty())
        return usage(command + " needs --dir DIR");
    if (command == "enrol" && code.empty())
        return usage("enrol needs --code CODE");
    if (command != "enrol" && !code.empty())
        return usage("--code is only for enrol");

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
    auto enrolment = link.enrolment();
    if (!enrolment)
        return failed(enrolment.error());
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
        return 0;
    case DeviceStanding::State::Revoked:
        std::printf("Server: REVOKED%s. %s\n", standing->wipe ? ", wipe ordered" : "", standing->message.c_str());
        return 3;
    case DeviceStanding::State::Unknown:
        std::printf("Server: does not know this device. %s\n", standing->message.c_str());
        return 3;
    }
    return 1;
}
