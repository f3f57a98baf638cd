// vigil-admin: provisioning CLI for a Vigil server folder. Wiring and words only; the
// operations are AdminSession / initServer in vigil_sync.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "core/records/Hlc.h"
#include "sync/admin/QrCode.h"
#include "sync/admin/ReportCommand.h"
#include "sync/server/Admin.h"
#include "sync/server/StoreMigration.h"

namespace {

using namespace vigil;
using namespace vigil::sync;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

constexpr const char* kMainHelp = R"(Usage: vigil-admin [--data-dir DIR | --config FILE] COMMAND ...

Provision a Vigil sync server: keys, users, enrolment codes, devices. Works directly on
the server folder (also while vigil-server runs).

Commands:
  init                 set up a server: keys, TLS certificate, store (and, with --data-dir,
                       a new folder with its server.json)
  pin                  print the server's SPKI pin (what devices check)
  user add|list|update manage users (role, team, borough, scope, clearance)
  enrol-code create    make a one-time code to enrol a device (text and QR)
  device list|revoke   list enrolled devices, revoke one
  stamps [--repair]    find (and repair) changes stamped in the future
  quarantine add|release|list
                       hold one device's changes back from its team (and release them)
  bank-holidays import FILE | show
                       hand every device a newer bank-holiday list (the Victims' Code clock)
  report --from D --to D [--borough B ...] --out-dir DIR
                       the board report: narrative, CSV and PDF of the figures (issue 25)
  audit verify|export  check the server's audit chain; write one record's, person's or
                       user's trail (DPA 2018 s.62: subject-access requests, complaints)
  backup --out FILE    a consistent copy of the store, taken while the server runs
  restore --from FILE  put a backup in place (vigil-server stopped); devices send again
                       what the server lost (docs/operations.md, "Backup and restore")
  migrate-store --to FILE
                       move the SQLCipher store into PostgreSQL (vigil-server stopped),
                       proved table by table with counts and digests (docs/postgresql.md)

Options (before or after the command):
  --data-dir DIR       the server folder; its configuration is DIR/server.json
  --config FILE        the server configuration (default: $VIGIL_DATA_DIR/server.json when
                       VIGIL_DATA_DIR is set, else /etc/vigil/server.json, the packaged one)
  --help               help for vigil-admin or for a command (e.g. `vigil-admin user add --help`)

Exit status: 0 done, 1 the operation failed (message on stderr), 2 the command was misused.
)";

constexpr const char* kInitHelp = R"(Usage: vigil-admin init --data-dir DIR [options]
       vigil-admin --config FILE init [--san NAME]... [--cert FILE --key FILE]

With --data-dir, create a new server folder DIR (mode 0700) holding:
  server.key        the 256-bit key of the encrypted store (mode 0600) - back it up safely
  tls/key.pem       the TLS private key (P-256, mode 0600)
  tls/cert.pem      the TLS certificate (self-signed unless --cert/--key are given)
  vigil-server.db   the encrypted server store
  server.json       the configuration, every setting written out with its default
Prints the SPKI pin devices will check. Refuses a folder that already holds a server.

With --config, set up the server an existing configuration describes (such as
/etc/vigil/server.json, installed by the vigil-server package): the server key, TLS key
and certificate and the store are made in its data_dir (which must exist), at the paths
it names; the configuration itself is not changed. Set listen_address, port and
public_host in it first: the self-signed certificate names them. Run it as the user
vigil-server runs as, so that user owns the files:
  runuser -u vigil -- vigil-admin --config /etc/vigil/server.json init
Refuses when any of those files exists.

Options:
  --listen ADDR     address to listen on (default 127.0.0.1; --data-dir only)
  --port N          port (default 8443; --data-dir only)
  --public-host H   host name or address devices use (default: the listen address;
                    --data-dir only)
  --san NAME        extra subjectAltName for the self-signed certificate (IP or DNS
                    name; repeatable). Always includes IP:127.0.0.1 and DNS:localhost.
  --cert FILE --key FILE   use this certificate and unencrypted PEM key instead
)";

constexpr const char* kUserHelp = R"(Usage:
  vigil-admin user add ID --role ROLE --team TEAM --borough BOROUGH [--name NAME]
                          [--scope SCOPE] [--restricted yes|no]
  vigil-admin user list
  vigil-admin user update ID [--role ROLE] [--team TEAM] [--borough BOROUGH] [--name NAME]
                             [--scope SCOPE] [--restricted yes|no] [--active yes|no]

ID       1-64 of a-z 0-9 . _ - (e.g. pc.4821); not changeable later
ROLE     officer | investigator | idva | supervisor | analyst | admin
SCOPE    self | team | borough | all  (default by role: officer and investigator team,
         supervisor borough, analyst all, idva and admin self)
--restricted yes  cleared for restricted records (police staff involved); they still
                  see such a record only when named on its access list (default no)
--active no       disable the user: their devices are refused
)";

constexpr const char* kCodeHelp = R"(Usage: vigil-admin enrol-code create --user ID [--expires 15m] [--tries 5]
                                   [--server HOST:PORT] [--png FILE] [--no-qr]

Make a one-time code that enrols one device for user ID. It carries the server address
and the server's SPKI pin, so the device's first connection is already pinned. The
secret has 60 bits of randomness and is stored only as a keyed hash.

  --expires T    lifetime: Ns, Nm or Nh, from 1s to 24h (default 15m)
  --tries N      wrong tries before the code dies, 1-10 (default 5)
  --server H:P   address devices use, when it differs from the configuration
  --png FILE     also write the QR code as a PNG (mode 0600: it holds the secret)
  --no-qr        do not draw the QR code in the terminal
)";

constexpr const char* kDeviceHelp = R"(Usage:
  vigil-admin device list
  vigil-admin device status DEVICE-ID
  vigil-admin device revoke DEVICE-ID [--wipe]
  vigil-admin device wipe DEVICE-ID

A revoked device is refused on its next request (its records stay on the server).
A device not in contact for device_expiry_days shows as "expired: re-enrol": make a new
`enrol-code create --user` for its user and enter it on the device; it keeps its id, its
records and its unsent changes.
`wipe` (or `revoke --wipe`) revokes it and orders it to erase Vigil's keys and records on its
next contact, also while the app is locked; the device then reports the wipe, and `device
list` and `device status` show when it confirmed it (and what it destroyed).
)";

constexpr const char* kQuarantineHelp = R"(Usage:
  vigil-admin quarantine list
  vigil-admin quarantine add DEVICE-ID --reason TEXT
  vigil-admin quarantine release DEVICE-ID

Hold back every change one device has sent, so one bad device (a flood of huge changes, a
device you suspect) cannot stop its team: from now on no other device receives its changes,
no new device starts from a snapshot (they replay the changes instead, without its ones), and
its own pushes are refused with words that tell its user to contact you. Its changes are kept
on the server and on the device; it still receives its team's changes. Changes other devices
already received stay on them. Works while vigil-server runs; takes effect at once.

`release` serves its changes again: every device holding one of the incidents they touch gets
that incident again whole at its next sync, so nothing it missed is lost, and the device's held
changes are accepted at its next sync. Both are recorded in the server's audit chain
(`vigil-admin audit export --user USER` shows them).
)";

constexpr const char* kStampsHelp = R"(Usage: vigil-admin stamps [--ahead T] [--repair]

List the changes in the op log stamped more than T after they reached the server (default:
clock_tolerance_seconds of the configuration). Such a change wins every merge until a later
stamp passes it: a supervisor's correction made since is lost on every device. They came from
a device whose clock ran days ahead, or from a forged request, before the server refused them
or while clock_tolerance_seconds was set wide.

  --ahead T   how far ahead counts: Ns, Nm, Nh or Nd (e.g. 10m, 3d)
  --repair    re-stamp each such change at the moment it arrived, so every later change wins
              over it; each device holding one of their 124Ds builds that 124D again from the
              server on its next sync (changes not yet sent are kept), and the server rebuilds
              its records copy when it next starts. Stop vigil-server first; back up the server
              folder before.
)";

constexpr const char* kBankHolidaysHelp = R"(Usage:
  vigil-admin bank-holidays import FILE [--allow-removals]
  vigil-admin bank-holidays show

The England and Wales bank holidays the Victims' Code clock counts working days with
(docs/victims-code.md). `import` checks FILE with the parser the devices use and keeps it on
the server; every device receives it at its next sync and uses it from then on (no new build,
nothing to copy to each device). FILE is in gov.uk's bank-holidays.json format with Vigil's
"vigil" block: start from a copy of the list shipped with Vigil, or of the one `show` names,
add the new days from https://www.gov.uk/bank-holidays.json, move covers_to to the last day of
the last whole year listed, and raise version.

It is refused, with nothing changed, when it is malformed; when its version is not above the
server's list and the list shipped with Vigil; when it covers fewer dates than either; or when
it drops a bank holiday the list it replaces holds.

  --allow-removals  import it although it drops days (only when a proclamation moved or
                    cancelled them); the days dropped are kept with the import

`show` prints the list devices receive and every import: when, by which account, from which file.
)";

constexpr const char* kBackupHelp = R"(Usage: vigil-admin backup --out FILE

Write a consistent copy of the server's store to FILE (a new file, mode 0600, encrypted with
the server key), with SQLite's online backup: safe while vigil-server runs, which goes on
serving meanwhile. The copy is then opened and its audit chain checked. Keep server.key
separately: without it no backup can be opened. The records copy (<database>.records) is not
in the backup: the server rebuilds it from the op log after a restore.
)";

constexpr const char* kRestoreHelp = R"(Usage: vigil-admin restore --from FILE

Put a backup made by `vigil-admin backup` in place of the server's store. Stop vigil-server
first (restore refuses while it runs). The backup is checked (it opens with the server key;
its audit chain is intact) before anything changes; the store it replaces is kept beside it as
<database>.before-restore-<time>, never deleted; the records copy is removed and rebuilt at
the next start. The restored store gets a new incarnation: every device sees the server went
back in time at its next sync and sends again what it holds that the server lost (changes it
made after the backup, already acknowledged); nothing is doubled. Start vigil-server after.
)";

constexpr const char* kMigrateHelp = R"(Usage: vigil-admin [--config FILE] migrate-store --to PG-CONFIG

Move the server's SQLCipher store into PostgreSQL, for a force that runs several servers on one
database (docs/postgresql.md). PG-CONFIG is a copy of the server's configuration with
  "store": "postgresql", postgresql_conninfo, postgresql_password_file, postgresql_schema
set, and the same key_file: the server key stays the key of everything moved.

Stop vigil-server first (the move refuses while it runs). The schema must hold no server store
yet (it is created when missing). Every table is copied in one PostgreSQL transaction, personal
data sealed as the PostgreSQL store seals it, then read back in that transaction and compared
with the SQLCipher store: each table's row count and the SHA-256 of its rows in key order must
be the same, or nothing is committed and the SQLCipher store stays in use. The op log keeps its
positions, the devices' views and credentials stay valid and the incarnation is unchanged, so
devices carry on at their next sync without re-enrolling and are sent nothing twice.

After the move the PostgreSQL chain and the SQLCipher store's chain both record it (who ran it,
rows and digest), and the SQLCipher store is marked moved: no vigil-server or vigil-admin uses it
again, so changes cannot be split between two stores. Keep it, with server.key, as the record
of what was moved. Then install PG-CONFIG as the configuration (e.g. /etc/vigil/server.json) and
start vigil-server on each machine; each builds its records copy from the op log at its first
start.
)";

constexpr const char* kAuditHelp = R"(Usage:
  vigil-admin audit verify
  vigil-admin audit export (--record ID | --person ID | --user ID) [--from DATE] [--to DATE]
                           --format csv|json --out FILE

The server keeps one append-only, hash-chained log (DPA 2018 s.62) of every disclosure (pull
pages, snapshot pages, every photo part sent), every refused change or audit entry, and every
change made with vigil-admin (users, roles, scopes, clearances, devices, enrolment codes,
quarantines and releases, bank-holiday lists, stamp repairs), each with who did it (for vigil-admin: the account that
ran it, and who used sudo). Devices' own audit chains are kept beside it, each entry checked
when it arrives.

`verify` walks the whole chain: it says it is intact with the number of entries (exit 0),
or names the first entry removed, altered or out of place (exit 1).

`export` writes the trail of one record (an incident or any record of one), one person
(a person record: their incident's trail) or one user (what they did and what was done to
their account), from the server's chain and the devices' chains, oldest first. FILE is
created with mode 0600 and must not exist.

  --from DATE, --to DATE   YYYY-MM-DD, UTC, both days included (default: all)
)";

std::string invokingAccount()
{
    // vigil-admin has no logins of its own: the account that ran it (and who used sudo) is who did it.
    std::string name;
    if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        name = pw->pw_name;
    else
        name = "uid " + std::to_string(::geteuid());
    if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo && name != sudo)
        name = std::string(sudo) + " (sudo as " + name + ")";
    return name.substr(0, 128);
}

int usage(const std::string& message, const char* help = nullptr)
{
    std::fprintf(stderr, "vigil-admin: %s\n", message.c_str());
    if (help)
        std::fprintf(stderr, "\n%s", help);
    else
        std::fprintf(stderr, "Run `vigil-admin --help` for usage.\n");
    return kUsage;
}

int failed(const Error& error)
{
    std::fprintf(stderr, "vigil-admin: %s\n", error.message.c_str());
    return kFailed;
}

/// Arguments after the command: positionals and --options (flags have no value).
struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::vector<std::string>> options;
    std::string error;

    [[nodiscard]] bool has(const std::string& name) const { return options.count(name) != 0; }
    [[nodiscard]] std::optional<std::string> get(const std::string& name) const
    {
        auto it = options.find(name);
        if (it == options.end() || it->second.empty())
            return std::nullopt;
        return it->second.back();
    }
};

Args parseArgs(const std::vector<std::string>& in, const std::vector<std::string>& withValue,
               const std::vector<std::string>& flags)
{
    Args args;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::string& a = in[i];
        if (a.rfind("--", 0) != 0) {
            args.positional.push_back(a);
            continue;
        }
        if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
            args.options[a];
            continue;
        }
        if (std::find(withValue.begin(), withValue.end(), a) == withValue.end()) {
            args.error = "unknown option " + a;
            return args;
        }
        if (i + 1 >= in.size()) {
            args.error = a + " needs a value";
            return args;
        }
        args.options[a].push_back(in[++i]);
    }
    return args;
}

std::optional<bool> yesNo(const std::string& v)
{
    if (v == "yes" || v == "true" || v == "1")
        return true;
    if (v == "no" || v == "false" || v == "0")
        return false;
    return std::nullopt;
}

std::optional<std::chrono::seconds> parseDuration(const std::string& text)
{
    if (text.size() < 2)
        return std::nullopt;
    long long n = 0;
    const char unit = text.back();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
    if (ec != std::errc() || end != text.data() + text.size() - 1 || n <= 0)
        return std::nullopt;
    switch (unit) {
    case 's':
        return std::chrono::seconds(n);
    case 'm':
        return std::chrono::seconds(n * 60);
    case 'h':
        return std::chrono::seconds(n * 3600);
    case 'd':
        return std::chrono::seconds(n * 86400);
    default:
        return std::nullopt;
    }
}

std::string timeText(std::int64_t unixSeconds)
{
    if (unixSeconds == 0)
        return "-";
    const std::time_t t = unixSeconds;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%MZ", &tm);
    return buf;
}

std::filesystem::path configPath(const std::optional<std::string>& dataDir, const std::optional<std::string>& config)
{
    if (config)
        return *config;
    if (dataDir)
        return std::filesystem::path(*dataDir) / kConfigFileName;
    if (const char* env = std::getenv("VIGIL_DATA_DIR"); env && *env)
        return std::filesystem::path(env) / kConfigFileName;
    return std::filesystem::path("/etc/vigil") / kConfigFileName;
}

int cmdInit(const std::vector<std::string>& rest, const std::optional<std::string>& dataDir,
            const std::optional<std::string>& config)
{
    Args a = parseArgs(rest, {"--listen", "--port", "--public-host", "--san", "--cert", "--key"}, {"--help"});
    if (a.has("--help")) {
        std::fputs(kInitHelp, stdout);
        return kOk;
    }
    if (!a.error.empty())
        return usage(a.error, kInitHelp);
    if (!a.positional.empty())
        return usage("init takes no arguments besides options (got \"" + a.positional.front() + "\")", kInitHelp);
    // Never a default configuration: setting a server up happens once, on the file named.
    if (dataDir.has_value() == config.has_value())
        return usage("give init either --data-dir DIR (a new server folder) or --config FILE (the configuration "
                     "of a server to set up, such as /etc/vigil/server.json)", kInitHelp);
    if (!dataDir) {
        for (const char* option : {"--listen", "--port", "--public-host"}) {
            if (a.has(option))
                return usage(std::string(option) + " is for a new server folder (--data-dir); with a configuration "
                             "file, set listen_address, port and public_host in it", kInitHelp);
        }
    }
    InitOptions options;
    if (dataDir)
        options.dataDir = *dataDir;
    if (auto v = a.get("--listen"))
        options.listenAddress = *v;
    if (auto v = a.get("--port")) {
        unsigned port = 0;
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), port);
        if (ec != std::errc() || end != v->data() + v->size() || port > 65535)
            return usage("--port must be a number from 0 to 65535", kInitHelp);
        options.port = static_cast<std::uint16_t>(port);
    }
    if (auto v = a.get("--public-host"))
        options.publicHost = *v;
    if (a.has("--san")) {
        for (const auto& san : a.options["--san"]) {
            bool ip = !san.empty();
            for (char c : san)
                ip = ip && ((c >= '0' && c <= '9') || c == '.' || c == ':');
            (ip ? options.names.ips : options.names.dns).push_back(san);
        }
    }
    if (dataDir && options.listenAddress != "127.0.0.1" && options.listenAddress != "0.0.0.0"
        && options.listenAddress != "::")
        options.names.ips.push_back(options.listenAddress);
    if (a.has("--cert") != a.has("--key"))
        return usage("give both --cert and --key, or neither", kInitHelp);
    if (auto v = a.get("--cert"))
        options.certFile = *v;
    if (auto v = a.get("--key"))
        options.keyFile = *v;
    if (config) {
        const std::filesystem::path file = *config;
        auto result = initServerFromConfig(file, options);
        if (!result)
            return failed(result.error());
        std::printf("Set up the Vigil server configured in %s\n", file.c_str());
        std::printf("  server pin (SPKI SHA-256): %s\n", pinToText(result->pin).c_str());
        std::printf("Back up the server key (key_file) somewhere safe: without it the store cannot be opened.\n");
        std::printf("Start the server with: vigil-server --config %s\n", file.c_str());
        std::printf("(the packaged server: systemctl enable --now vigil-server)\n");
        return kOk;
    }
    auto result = initServer(options);
    if (!result)
        return failed(result.error());
    std::printf("Created a Vigil server in %s\n", std::filesystem::absolute(options.dataDir).c_str());
    std::printf("  configuration: %s\n", result->configFile.c_str());
    std::printf("  server pin (SPKI SHA-256): %s\n", pinToText(result->pin).c_str());
    std::printf("Back up server.key somewhere safe: without it the store cannot be opened.\n");
    std::printf("Start the server with: vigil-server --config %s\n", result->configFile.c_str());
    return kOk;
}

int cmdUser(AdminSession& session, const std::vector<std::string>& rest)
{
    Args a = parseArgs(rest, {"--role", "--team", "--borough", "--name", "--scope", "--restricted", "--active"},
                       {"--help"});
    if (a.has("--help")) {
        std::fputs(kUserHelp, stdout);
        return kOk;
    }
    if (!a.error.empty())
        return usage(a.error, kUserHelp);
    if (a.positional.empty())
        return usage("say what to do: user add, user list or user update", kUserHelp);
    const std::string sub = a.positional.front();

    if (sub == "list") {
        auto users = session.listUsers();
        if (!users)
            return failed(users.error());
        std::printf("%-20s %-13s %-12s %-12s %-8s %-10s %-6s %s\n", "ID", "ROLE", "TEAM", "BOROUGH", "SCOPE",
                    "RESTRICTED", "ACTIVE", "NAME");
        for (const auto& u : *users) {
            std::printf("%-20s %-13s %-12s %-12s %-8s %-10s %-6s %s\n", u.info.id.c_str(),
                        std::string(roleName(u.info.role)).c_str(), u.info.team.c_str(), u.info.borough.c_str(),
                        std::string(scopeName(u.info.scope)).c_str(), u.info.restrictedClearance ? "cleared" : "no",
                        u.active ? "yes" : "no", u.info.displayName.c_str());
        }
        return kOk;
    }
    if (sub != "add" && sub != "update")
        return usage("unknown user command \"" + sub + "\"", kUserHelp);
    if (a.positional.size() != 2)
        return usage("user " + sub + " needs exactly one user ID", kUserHelp);
    const std::string id = a.positional[1];

    UserRecord user;
    if (sub == "add") {
        if (!a.has("--role") || !a.has("--team") || !a.has("--borough"))
            return usage("user add needs --role, --team and --borough", kUserHelp);
        if (a.has("--active"))
            return usage("--active is for user update", kUserHelp);
        user.info.id = id;
    } else {
        auto found = session.findUser(id);
        if (!found)
            return failed(found.error());
        if (!*found)
            return failed(makeError(ErrorCode::NotFound, "There is no user with id " + id + ". See `vigil-admin user list`."));
        user = **found;
    }
    if (auto v = a.get("--role")) {
        auto role = roleFromName(*v);
        if (!role)
            return usage("--role must be officer, investigator, idva, supervisor, analyst or admin (got \"" + *v + "\")", kUserHelp);
        user.info.role = *role;
        if (sub == "add")
            user.info.scope = defaultScope(*role);
    }
    if (auto v = a.get("--scope")) {
        auto scope = scopeFromName(*v);
        if (!scope)
            return usage("--scope must be self, team, borough or all (got \"" + *v + "\")", kUserHelp);
        user.info.scope = *scope;
    }
    if (auto v = a.get("--team"))
        user.info.team = *v;
    if (auto v = a.get("--borough"))
        user.info.borough = *v;
    if (auto v = a.get("--name"))
        user.info.displayName = *v;
    if (auto v = a.get("--restricted")) {
        auto yes = yesNo(*v);
        if (!yes)
            return usage("--restricted needs yes or no", kUserHelp);
        user.info.restrictedClearance = *yes;
    }
    if (auto v = a.get("--active")) {
        auto yes = yesNo(*v);
        if (!yes)
            return usage("--active needs yes or no", kUserHelp);
        user.active = *yes;
    }
    Status done = sub == "add" ? session.addUser(user) : session.updateUser(user);
    if (!done.ok())
        return failed(done.error());
    std::printf("%s user %s: %s, team %s, borough %s, scope %s%s%s\n", sub == "add" ? "Added" : "Updated",
                user.info.id.c_str(), std::string(roleName(user.info.role)).c_str(), user.info.team.c_str(),
                user.info.borough.c_str(), std::string(scopeName(user.info.scope)).c_str(),
                user.info.restrictedClearance ? ", cleared for restricted records" : "",
                user.active ? "" : " (disabled)");
    return kOk;
}

int cmdEnrolCode(AdminSession& session, const std::vector<std::string>& rest)
{
    Args a = parseArgs(rest, {"--user", "--expires", "--tries", "--server", "--png"}, {"--help", "--no-qr"});
    if (a.has("--help")) {
        std::fputs(kCodeHelp, stdout);
        return kOk;
    }
    if (!a.error.empty())
        return usage(a.error, kCodeHelp);
    if (a.positional.size() != 1 || a.positional.front() != "create")
        return usage("the only enrol-code command is `enrol-code create`", kCodeHelp);
    auto user = a.get("--user");
    if (!user)
        return usage("enrol-code create needs --user ID", kCodeHelp);
    std::chrono::seconds lifetime(15 * 60);
    if (auto v = a.get("--expires")) {
        auto d = parseDuration(*v);
        if (!d)
            return usage("--expires must look like 90s, 15m or 2h (got \"" + *v + "\")", kCodeHelp);
        lifetime = *d;
    }
    int tries = 5;
    if (auto v = a.get("--tries")) {
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), tries);
        if (ec != std::errc() || end != v->data() + v->size())
            return usage("--tries must be a number from 1 to 10", kCodeHelp);
    }
    std::string host;
    std::uint16_t port = 0;
    if (auto v = a.get("--server")) {
        const auto colon = v->rfind(':');
        unsigned p = 0;
        if (colon == std::string::npos || colon == 0)
            return usage("--server must be HOST:PORT", kCodeHelp);
        auto [end, ec] = std::from_chars(v->data() + colon + 1, v->data() + v->size(), p);
        if (ec != std::errc() || end != v->data() + v->size() || p == 0 || p > 65535)
            return usage("--server must be HOST:PORT with a port from 1 to 65535", kCodeHelp);
        host = v->substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']')
            host = host.substr(1, host.size() - 2);
        port = static_cast<std::uint16_t>(p);
    }
    auto created = session.createEnrolCode(*user, lifetime, tries, host, port);
    if (!created)
        return failed(created.error());
    std::string line = formatEnrolmentCode(created->code);
    std::printf("Enrolment code for %s (one device, once; expires %s; %d wrong tries allowed):\n\n", user->c_str(),
                timeText(created->expiresAt).c_str(), created->tries);
    std::printf("%s\n\n", line.c_str());
    std::printf("To type by hand: server %s, code %s\n", (created->code.host + ":" + std::to_string(created->code.port)).c_str(),
                formatCodePart(created->code.codeId, created->code.secret).c_str());
    int rc = kOk;
    if (!a.has("--no-qr")) {
        auto qr = qrForTerminal(line);
        if (qr)
            std::printf("\n%s", qr->c_str());
        else
            std::fprintf(stderr, "vigil-admin: %s\n", qr.error().message.c_str());
    }
    if (auto png = a.get("--png")) {
        if (Status s = writeQrPng(line, *png); !s.ok()) {
            std::fprintf(stderr, "vigil-admin: %s\n", s.error().message.c_str());
            rc = kFailed;
        } else {
            std::printf("QR code written to %s (delete it once the device is enrolled).\n", png->c_str());
        }
    }
    sodium_memzero(line.data(), line.size());
    sodium_memzero(created->code.secret.data(), created->code.secret.size());
    return rc;
}

int cmdDevice(AdminSession& session, const std::vector<std::string>& rest)
{
    Args a = parseArgs(rest, {}, {"--help", "--wipe"});
    const auto stateOf = [](const DeviceRecord& d) -> std::string {
        if (d.wipedAt)
            return "wiped " + timeText(*d.wipedAt);
        if (d.revokedAt)
            return d.wipe ? "revoked, wipe ordered" : "revoked";
        if (d.expiredAt)
            return "expired: re-enrol";  // not in contact for device_expiry_days; a new code brings it back
        return "active";
    };
    if (a.has("--help")) {
        std::fputs(kDeviceHelp, stdout);
        return kOk;
    }
    if (!a.error.empty())
        return usage(a.error, kDeviceHelp);
    if (a.positional.empty())
        return usage("say what to do: device list, status, revoke or wipe", kDeviceHelp);
    const std::string sub = a.positional.front();
    if (sub == "list") {
        if (a.positional.size() != 1 || a.has("--wipe"))
            return usage("device list takes no arguments", kDeviceHelp);
        auto devices = session.listDevices();
        if (!devices)
            return failed(devices.error());
        std::printf("%-36s  %-20s  %-17s  %-17s  %-23s %s\n", "DEVICE", "USER", "ENROLLED", "LAST SEEN", "STATE", "NAME");
        for (const auto& d : *devices) {
            std::printf("%-36s  %-20s  %-17s  %-17s  %-23s %s\n", d.id.c_str(), d.userId.c_str(),
                        timeText(d.enrolledAt).c_str(), timeText(d.lastSeenAt).c_str(), stateOf(d).c_str(), d.name.c_str());
        }
        return kOk;
    }
    if (sub == "status") {
        if (a.positional.size() != 2 || a.has("--wipe"))
            return usage("device status needs exactly one DEVICE-ID (see `vigil-admin device list`)", kDeviceHelp);
        auto devices = session.listDevices();
        if (!devices)
            return failed(devices.error());
        for (const auto& d : *devices) {
            if (d.id != a.positional[1])
                continue;
            std::printf("Device:      %s\nName:        %s\nUser:        %s\nEnrolled:    %s\nLast seen:   %s\nState:       %s\n",
                        d.id.c_str(), d.name.c_str(), d.userId.c_str(), timeText(d.enrolledAt).c_str(),
                        timeText(d.lastSeenAt).c_str(), stateOf(d).c_str());
            if (d.revokedAt)
                std::printf("Revoked:     %s%s\n", timeText(*d.revokedAt).c_str(), d.wipe ? " (wipe ordered)" : "");
            if (d.wipedAt) {
                std::string destroyed;
                auto list = nlohmann::json::parse(d.wipeReport, nullptr, false);
                if (list.is_array()) {
                    for (const auto& item : list)
                        destroyed += (destroyed.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : "?");
                }
                std::printf("Wiped:       %s, confirmed by the device (%s); it destroyed: %s\n", timeText(*d.wipedAt).c_str(),
                            d.wipeReason == "user" ? "wiped by its user" : "ordered by an administrator",
                            destroyed.empty() ? "(not said)" : destroyed.c_str());
            } else if (d.wipe) {
                std::printf("Wiped:       not yet confirmed: the device wipes itself on its next contact\n");
            }
            return kOk;
        }
        return failed(makeError(ErrorCode::NotFound, "There is no device with id " + a.positional[1]
                                                         + ". See `vigil-admin device list`."));
    }
    if (sub == "wipe") {
        if (a.positional.size() != 2 || a.has("--wipe"))
            return usage("device wipe needs exactly one DEVICE-ID (see `vigil-admin device list`)", kDeviceHelp);
        if (Status s = session.revokeDevice(a.positional[1], true); !s.ok())
            return failed(s.error());
        std::printf("Device %s is revoked and ordered to wipe. It erases Vigil's keys and records on its next contact "
                    "(also while the app is locked) and reports it; see `vigil-admin device status %s`.\n",
                    a.positional[1].c_str(), a.positional[1].c_str());
        return kOk;
    }
    if (sub == "revoke") {
        if (a.positional.size() != 2)
            return usage("device revoke needs exactly one DEVICE-ID (see `vigil-admin device list`)", kDeviceHelp);
        const bool wipe = a.has("--wipe");
        if (Status s = session.revokeDevice(a.positional[1], wipe); !s.ok())
            return failed(s.error());
        std::printf("Revoked device %s%s. It is refused from its next request.\n", a.positional[1].c_str(),
                    wipe ? " and told it to wipe its local store" : "");
        return kOk;
    }
    return usage("unknown device command \"" + sub + "\" (list, status, revoke or wipe)", kDeviceHelp);
}

int cmdQuarantine(AdminSession& session, const std::vector<std::string>& rest)
{
    Args a = parseArgs(rest, {"--reason"}, {"--help"});
    if (!a.error.empty())
        return usage(a.error, kQuarantineHelp);
    if (a.positional.empty())
        return usage("say what to do: quarantine list, add or release", kQuarantineHelp);
    const std::string sub = a.positional.front();
    if (sub == "list") {
        if (a.positional.size() != 1 || a.has("--reason"))
            return usage("quarantine list takes no arguments", kQuarantineHelp);
        auto held = session.quarantinedDevices();
        if (!held)
            return failed(held.error());
        std::printf("%-36s  %-17s  %-16s  %-8s  %s\n", "DEVICE", "SINCE", "BY", "OPS", "REASON");
        for (const auto& q : *held) {
            std::printf("%-36s  %-17s  %-16s  %-8lld  %s\n", q.deviceId.c_str(), timeText(q.at).c_str(), q.by.c_str(),
                        static_cast<long long>(q.ops), q.reason.c_str());
        }
        return kOk;
    }
    if (sub == "add") {
        if (a.positional.size() != 2)
            return usage("quarantine add needs exactly one DEVICE-ID (see `vigil-admin device list`)", kQuarantineHelp);
        const auto reason = a.get("--reason");
        if (!reason || reason->empty() || reason->size() > 500)
            return usage("quarantine add needs --reason TEXT (1-500 characters): it goes in the audit trail",
                         kQuarantineHelp);
        if (Status s = session.quarantineDevice(a.positional[1], *reason); !s.ok())
            return failed(s.error());
        std::printf("Device %s is quarantined: no other device receives its changes from now on, and its pushes are "
                    "refused (its user is told to contact you). Release it with `vigil-admin quarantine release %s`.\n",
                    a.positional[1].c_str(), a.positional[1].c_str());
        return kOk;
    }
    if (sub == "release") {
        if (a.positional.size() != 2 || a.has("--reason"))
            return usage("quarantine release needs exactly one DEVICE-ID", kQuarantineHelp);
        auto queued = session.releaseDevice(a.positional[1]);
        if (!queued)
            return failed(queued.error());
        std::printf("Device %s is released: its changes are served again, and %lld deliveries of the incidents they "
                    "touch were queued for the devices holding them.\n",
                    a.positional[1].c_str(), static_cast<long long>(*queued));
        return kOk;
    }
    return usage("unknown quarantine command \"" + sub + "\" (list, add or release)", kQuarantineHelp);
}

int cmdStamps(AdminSession& session, const std::vector<std::string>& rest)
{
    Args a = parseArgs(rest, {"--ahead"}, {"--help", "--repair"});
    if (!a.error.empty())
        return usage(a.error, kStampsHelp);
    if (!a.positional.empty())
        return usage("stamps takes no arguments, only --ahead and --repair", kStampsHelp);
    std::int64_t ahead = session.config().clockToleranceSeconds;
    if (auto v = a.get("--ahead")) {
        auto d = parseDuration(*v);
        if (!d)
            return usage("--ahead must look like 90s, 10m, 2h or 3d (got \"" + *v + "\")", kStampsHelp);
        ahead = d->count();
    }
    const auto print = [](const std::vector<FutureStamp>& stamps, const char* stampHeading) {
        std::printf("%-8s  %-36s  %-20s  %-36s  %-17s  %-17s  %s\n", "CURSOR", "DEVICE", "USER", "INCIDENT", "ARRIVED",
                    stampHeading, "FIELD");
        for (const auto& f : stamps) {
            const auto stamped = static_cast<std::int64_t>(vigil::hlcMillis(f.hlc) / 1000);
            std::printf("%-8lld  %-36s  %-20s  %-36s  %-17s  %-17s  %s.%s\n", static_cast<long long>(f.cursor),
                        f.device.c_str(), f.userId.c_str(), f.incidentId.c_str(), timeText(f.receivedAt).c_str(),
                        stamped > 253402300799 ? "beyond 9999" : timeText(stamped).c_str(), f.entity.c_str(),
                        f.field.c_str());
        }
    };
    if (!a.has("--repair")) {
        auto found = session.futureStamps(ahead);
        if (!found)
            return failed(found.error());
        if (found->empty()) {
            std::printf("No change is stamped more than %llds after it arrived.\n", static_cast<long long>(ahead));
            return kOk;
        }
        print(*found, "STAMPED");
        std::printf("\n%zu change(s) stamped more than %llds after they arrived. Stop vigil-server, back up the server "
                    "folder, and run `vigil-admin stamps --repair%s`.\n",
                    found->size(), static_cast<long long>(ahead), a.has("--ahead") ? (" --ahead " + *a.get("--ahead")).c_str() : "");
        return kOk;
    }
    auto repaired = session.repairStamps(ahead);
    if (!repaired)
        return failed(repaired.error());
    if (repaired->restamped.empty()) {
        std::printf("No change is stamped more than %llds after it arrived: nothing to repair.\n", static_cast<long long>(ahead));
        return kOk;
    }
    print(repaired->restamped, "NOW STAMPED");
    std::printf("\nRe-stamped %zu change(s) at the moment they arrived. %lld 124D(s) will be sent again whole to the "
                "devices holding them (%lld in all) on their next sync. Start vigil-server: it rebuilds its records "
                "copy first.\n",
                repaired->restamped.size(), static_cast<long long>(repaired->incidents),
                static_cast<long long>(repaired->deliveries));
    return kOk;
}

int cmdBankHolidays(AdminSession& session, const std::vector<std::string>& rest)
{
    Args a = parseArgs(rest, {}, {"--help", "--allow-removals"});
    if (!a.error.empty())
        return usage(a.error, kBankHolidaysHelp);
    if (a.positional.empty())
        return usage("say what to do: bank-holidays import FILE or bank-holidays show", kBankHolidaysHelp);
    const std::string sub = a.positional.front();
    if (sub == "show") {
        if (a.positional.size() != 1 || a.has("--allow-removals"))
            return usage("bank-holidays show takes no arguments", kBankHolidaysHelp);
        auto held = session.bankHolidays();
        if (!held)
            return failed(held.error());
        if (!*held) {
            std::printf("The server holds no bank-holiday list of its own: devices use the list they shipped with.\n"
                        "Import a newer one with `vigil-admin bank-holidays import FILE`.\n");
            return kOk;
        }
        const BankHolidayImport& b = **held;
        std::printf("Devices receive version %d at their next sync: %s to %s, %lld bank holidays.\n", b.version,
                    b.coversFrom.c_str(), b.coversTo.c_str(), static_cast<long long>(b.holidays));
        auto imports = session.bankHolidayImports();
        if (!imports)
            return failed(imports.error());
        std::printf("\n%-8s  %-17s  %-24s  %-24s  %-12s  %s\n", "VERSION", "IMPORTED", "BY", "COVERS", "SHA-256",
                    "FILE (DAYS REMOVED)");
        for (const auto& i : *imports) {
            const std::string covers = i.coversFrom + " to " + i.coversTo;
            std::printf("%-8d  %-17s  %-24s  %-24s  %-12s  %s%s\n", i.version, timeText(i.importedAt).c_str(),
                        i.importedBy.c_str(), covers.c_str(), i.sha256.substr(0, 12).c_str(), i.fileName.c_str(),
                        i.removed == "[]" || i.removed.empty() ? "" : (" (" + i.removed + ")").c_str());
        }
        return kOk;
    }
    if (sub != "import")
        return usage("unknown bank-holidays command \"" + sub + "\" (import or show)", kBankHolidaysHelp);
    if (a.positional.size() != 2)
        return usage("bank-holidays import needs exactly one FILE", kBankHolidaysHelp);
    auto done = session.importBankHolidays(a.positional[1], a.has("--allow-removals"), invokingAccount());
    if (!done)
        return failed(done.error());
    const BankHolidayImport& b = done->stored;
    std::printf("Imported version %d of the bank-holiday list (%s to %s, %lld bank holidays), replacing %s.\n", b.version,
                b.coversFrom.c_str(), b.coversTo.c_str(), static_cast<long long>(b.holidays), done->replaces.c_str());
    const auto list = [](const char* what, const std::vector<std::string>& days) {
        if (days.empty())
            return;
        std::printf("%s %zu day%s:", what, days.size(), days.size() == 1 ? "" : "s");
        for (std::size_t i = 0; i < days.size() && i < 20; ++i)
            std::printf("%s %s", i == 0 ? "" : ",", days[i].c_str());
        std::printf("%s\n", days.size() > 20 ? ", ..." : "");
    };
    list("It adds", done->added);
    list("It removes", done->removed);
    std::printf("Every device receives it at its next sync; the Victims' Code clock uses it from then on.\n");
    return kOk;
}

std::optional<std::int64_t> dayStart(const std::string& text)
{
    std::tm tm{};
    if (text.size() != 10 || ::strptime(text.c_str(), "%Y-%m-%d", &tm) == nullptr)
        return std::nullopt;
    return std::int64_t{::timegm(&tm)};
}

std::string csvField(const std::string& v)
{
    // Quoted, and a leading = + - @ neutralised so a spreadsheet does not run it as a formula.
    std::string out = "\"";
    if (!v.empty() && std::string("=+-@").find(v.front()) != std::string::npos)
        out += '\'';
    for (char c : v) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

int cmdAudit(AdminSession& session, const std::vector<std::string>& rest)
{
    Args a = parseArgs(rest, {"--record", "--person", "--user", "--from", "--to", "--format", "--out"}, {"--help"});
    if (!a.error.empty())
        return usage(a.error, kAuditHelp);
    if (a.positional.size() != 1)
        return usage("say what to do: audit verify or audit export", kAuditHelp);
    const std::string sub = a.positional.front();
    if (sub == "verify") {
        if (a.options.size() != 0)
            return usage("audit verify takes no options", kAuditHelp);
        auto v = session.verifyAudit();
        if (!v)
            return failed(v.error());
        if (!v->intact) {
            std::printf("The server's audit chain is BROKEN at entry %lld: %s. %lld entries before it are intact.\n"
                        "Keep this folder as it is, restore the server folder's backup beside it, and report it.\n",
                        static_cast<long long>(v->firstBadSeq.value_or(0)), v->problem.c_str(),
                        static_cast<long long>(v->entries));
            return kFailed;
        }
        std::printf("The server's audit chain is intact: %lld entries.\n", static_cast<long long>(v->entries));
        return kOk;
    }
    if (sub != "export")
        return usage("unknown audit command \"" + sub + "\" (verify or export)", kAuditHelp);
    AuditTrailFilter f;
    int subjects = 0;
    for (const auto& [option, field] : {std::pair<const char*, std::string*>{"--record", &f.record},
                                        {"--person", &f.person}, {"--user", &f.user}}) {
        if (auto v = a.get(option)) {
            *field = *v;
            ++subjects;
        }
    }
    if (subjects != 1)
        return usage("give exactly one of --record ID, --person ID or --user ID", kAuditHelp);
    if (auto from = a.get("--from")) {
        auto t = dayStart(*from);
        if (!t)
            return usage("--from takes a date as YYYY-MM-DD", kAuditHelp);
        f.from = *t;
    }
    if (auto to = a.get("--to")) {
        auto t = dayStart(*to);
        if (!t)
            return usage("--to takes a date as YYYY-MM-DD", kAuditHelp);
        f.to = *t + 86400;
    }
    const std::string format = a.get("--format").value_or("");
    if (format != "csv" && format != "json")
        return usage("give --format csv or --format json", kAuditHelp);
    const auto out = a.get("--out");
    if (!out)
        return usage("give the file to write with --out FILE", kAuditHelp);
    auto rows = session.auditTrail(f);
    if (!rows)
        return failed(rows.error());
    std::string text;
    if (format == "json") {
        nlohmann::json all = nlohmann::json::array();
        for (const AuditTrailRow& r : *rows) {
            nlohmann::json detail = nlohmann::json::parse(r.detail, nullptr, false);
            all.push_back({{"source", r.source}, {"seq", r.seq}, {"at", r.atText}, {"actor", r.actor},
                           {"action", r.action}, {"user", r.userId}, {"device", r.deviceId}, {"records", r.records},
                           {"detail", detail.is_discarded() ? nlohmann::json(r.detail) : detail}, {"hash", r.hash}});
        }
        text = all.dump(2) + "\n";
    } else {
        text = "source,seq,at,actor,action,user,device,records,detail,hash\n";
        for (const AuditTrailRow& r : *rows) {
            std::string records;
            for (const auto& id : r.records)
                records += (records.empty() ? "" : " ") + id;
            text += csvField(r.source) + "," + std::to_string(r.seq) + "," + csvField(r.atText) + "," + csvField(r.actor)
                    + "," + csvField(r.action) + "," + csvField(r.userId) + "," + csvField(r.deviceId) + ","
                    + csvField(records) + "," + csvField(r.detail) + "," + csvField(r.hash) + "\n";
        }
    }
    const int fd = ::open(out->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return failed(makeError(ErrorCode::Io, "Cannot create " + *out + " (it must not exist already). Nothing was written."));
    ::fchmod(fd, 0600);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok)
        return failed(makeError(ErrorCode::Io, "Cannot write " + *out + " (disk full?)."));
    std::printf("Wrote %zu entries to %s (mode 0600). It holds personal data: keep it as the request requires.\n",
                rows->size(), out->c_str());
    return kOk;
}

int cmdBackup(AdminSession& session, const std::vector<std::string>& rest)
{
    const Args a = parseArgs(rest, {"--out"}, {});
    if (!a.error.empty())
        return usage(a.error, kBackupHelp);
    const auto out = a.get("--out");
    if (!out || !a.positional.empty())
        return usage("give the backup file: backup --out FILE", kBackupHelp);
    auto done = session.backup(*out);
    if (!done)
        return failed(done.error());
    std::printf("Backup written: %s (%lld bytes, SHA-256 %s)\nIt holds the op log up to position %lld and %lld "
                "entries of the server's audit chain (checked intact).\n",
                done->file.string().c_str(), static_cast<long long>(done->bytes), done->sha256.c_str(),
                static_cast<long long>(done->opLogCursor), static_cast<long long>(done->auditEntries));
    return kOk;
}

int cmdRestore(const std::filesystem::path& configFile, const std::vector<std::string>& rest)
{
    const Args a = parseArgs(rest, {"--from"}, {});
    if (!a.error.empty())
        return usage(a.error, kRestoreHelp);
    const auto from = a.get("--from");
    if (!from || !a.positional.empty())
        return usage("give the backup file: restore --from FILE", kRestoreHelp);
    auto done = restoreServer(configFile, *from, invokingAccount());
    if (!done)
        return failed(done.error());
    std::printf("Restored from %s. The store it replaced is kept as %s.\nNew incarnation %s; op log up to position "
                "%lld; the server's audit chain holds %lld entries and is intact.\nStart vigil-server: devices send "
                "again what the server lost at their next sync.\n",
                from->c_str(), done->keptAside.empty() ? "(none)" : done->keptAside.string().c_str(),
                done->incarnation.c_str(), static_cast<long long>(done->opLogCursor),
                static_cast<long long>(done->auditEntries));
    return kOk;
}

int cmdMigrateStore(const std::filesystem::path& configFile, const std::vector<std::string>& rest)
{
    const Args a = parseArgs(rest, {"--to"}, {});
    if (!a.error.empty())
        return usage(a.error, kMigrateHelp);
    const auto to = a.get("--to");
    if (!to || !a.positional.empty())
        return usage("give the PostgreSQL configuration to move to: migrate-store --to FILE", kMigrateHelp);
    std::printf("Moving %s into PostgreSQL...\n", configFile.c_str());
    std::fflush(stdout);
    std::string shown;
    std::int64_t lastShown = 0;
    const auto progress = [&](const std::string& table, std::int64_t rows) {
        // A line per table, and one every 100,000 rows of a long one (the op log).
        if (table != shown || rows - lastShown >= 100000) {
            std::printf("  copying %s: %lld rows\n", table.c_str(), static_cast<long long>(rows));
            std::fflush(stdout);
            shown = table;
            lastShown = rows;
        }
    };
    auto done = moveStoreToPostgresql(configFile, *to, invokingAccount(), progress);
    if (!done)
        return failed(done.error());
    std::printf("\nMoved %s to PostgreSQL (%s). Every table read back from PostgreSQL before it was committed:\n\n",
                done->source.c_str(), done->target.c_str());
    std::printf("  %-18s %10s  %-64s  %s\n", "table", "rows", "SHA-256 of its rows (SQLCipher)", "PostgreSQL");
    for (const MovedTable& t : done->tables)
        std::printf("  %-18s %10lld  %s  %s\n", t.name.c_str(), static_cast<long long>(t.rows), t.sourceDigest.c_str(),
                    t.targetDigest == t.sourceDigest ? "same" : "DIFFERENT");
    std::printf("\nThe op log is at position %lld; the incarnation (%s) is unchanged: devices carry on at their next "
                "sync without re-enrolling.\nThe server's audit chain holds %lld entries%s; the move is its "
                "last.\nThe SQLCipher store is marked moved and will not be served again; keep it, with server.key, as "
                "the record of the move.\nNext: install %s as the server's configuration (e.g. /etc/vigil/server.json) "
                "and start vigil-server.\n",
                static_cast<long long>(done->opLogCursor), done->incarnation.c_str(),
                static_cast<long long>(done->auditEntries),
                done->auditProblem.empty()
                    ? " and is intact"
                    : (" and was already broken in the SQLCipher store, moved as it was (" + done->auditProblem
                       + "): run `vigil-admin audit verify` and report it")
                          .c_str(),
                to->c_str());
    return kOk;
}

int cmdPin(AdminSession& session)
{
    std::printf("%s\n", pinToText(session.pin()).c_str());
    return kOk;
}

}  // namespace

int main(int argc, char** argv)
{
    ::umask(077);
    std::vector<std::string> args(argv + 1, argv + argc);
    std::optional<std::string> dataDir;
    std::optional<std::string> config;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--data-dir" || args[i] == "--config") {
            if (i + 1 >= args.size())
                return usage(args[i] + " needs a value");
            const bool isDataDir = args[i] == "--data-dir";
            (isDataDir ? dataDir : config) = args[++i];
        } else {
            rest.push_back(args[i]);
        }
    }
    if (rest.empty())
        return usage("say which command to run");
    const std::string command = rest.front();
    rest.erase(rest.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kMainHelp, stdout);
        return kOk;
    }
    if (command == "init")
        return cmdInit(rest, dataDir, config);

    const bool wantsHelp = std::find(rest.begin(), rest.end(), "--help") != rest.end();
    const std::map<std::string, const char*> helps = {
        {"user", kUserHelp}, {"enrol-code", kCodeHelp}, {"device", kDeviceHelp}, {"stamps", kStampsHelp}, {"quarantine", kQuarantineHelp}, {"bank-holidays", kBankHolidaysHelp}, {"audit", kAuditHelp}, {"backup", kBackupHelp}, {"restore", kRestoreHelp}, {"migrate-store", kMigrateHelp}, {"report", kReportHelp}, {"pin", "Usage: vigil-admin pin\n\nPrint the server's SPKI pin.\n"}};
    auto help = helps.find(command);
    if (help == helps.end())
        return usage("unknown command \"" + command + "\"");
    if (wantsHelp) {
        std::fputs(help->second, stdout);
        return kOk;
    }
    if (command == "restore")
        return cmdRestore(configPath(dataDir, config), rest);  // the store in place may not open at all
    if (command == "migrate-store")
        return cmdMigrateStore(configPath(dataDir, config), rest);
    auto session = AdminSession::open(configPath(dataDir, config));
    if (!session)
        return failed(session.error());
    (*session)->setActor(invokingAccount());
    if (command == "audit")
        return cmdAudit(**session, rest);
    if (command == "backup")
        return cmdBackup(**session, rest);
    if (command == "report")
        return runReportCommand(**session, rest);
    if (command == "user")
        return cmdUser(**session, rest);
    if (command == "enrol-code")
        return cmdEnrolCode(**session, rest);
    if (command == "device")
        return cmdDevice(**session, rest);
    if (command == "stamps")
        return cmdStamps(**session, rest);
    if (command == "quarantine")
        return cmdQuarantine(**session, rest);
    if (command == "bank-holidays")
        return cmdBankHolidays(**session, rest);
    if (!rest.empty())
        return usage("pin takes no arguments");
    return cmdPin(**session);
}
