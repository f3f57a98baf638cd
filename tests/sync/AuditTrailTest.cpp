// Issue 22 part 3, an audit trail that holds (DPA 2018 s.62): the server checks every device
// audit entry pushed to it, keeps its own log hash-chained, and `vigil-admin audit verify` and
// `audit export` read it. Real vigil-server and vigil-admin processes, real TLS, real SQLCipher.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "core/records/AuditLog.h"
#include "core/store/Database.h"
#include "sync/server/ServerKey.h"
#include "sync/server/SqlCipherServerStore.h"
#include "tests/support/TempDir.h"
#include "tests/sync/RawDevice.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

/// The entry after `prev` (or the first) on `device`'s chain, hashed as the core hashes it.
AuditEntry nextEntry(const AuditEntry* prev, const std::string& actor, const std::string& device)
{
    AuditEntry e;
    e.seq = prev ? prev->seq + 1 : 1;
    e.at = "2026-03-0" + std::to_string(1 + e.seq % 9) + "T10:00:00.000Z";
    e.actor = actor;
    e.device = device;
    e.action = AuditAction::Consultation;
    e.entity = "incident";
    e.recordId = "inc-audit-1";
    e.justification = "recording the incident";
    e.detail = "opened";
    e.prevHash = prev ? prev->hash : std::string();
    e.hash = AuditLog::chainHash(e);
    return e;
}

std::string readAll(const std::filesystem::path& file)
{
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("The server refuses a forged device audit entry with its code, keeps nothing of it, and the chain goes on",
          "[sync][audit]")
{
    ServerProcess server;
    server.addUser("pc.a");
    server.addUser("pc.b");
    SyncClient client;
    RawDevice a(client, server, "pc.a");
    RawDevice b(client, server, "pc.b");

    const AuditEntry first = nextEntry(nullptr, "pc.a", a.id);
    auto pushed = a.push({a.op("audit", newUuid(), "@append", auditEntryToJson(first))});
    CHECK(pushed.rejected.empty());

    const AuditEntry second = nextEntry(&first, "pc.a", a.id);
    struct Forgery {
        const char* what;
        AuditEntry entry;
    };
    std::vector<Forgery> forgeries;
    {
        AuditEntry e = nextEntry(&first, "pc.b", a.id);  // another user named as the actor
        forgeries.push_back({"another actor", e});
    }
    {
        AuditEntry e = nextEntry(&first, "pc.a", b.id);  // another device named
        forgeries.push_back({"another device", e});
    }
    {
        AuditEntry e = nextEntry(&second, "pc.a", a.id);  // seq 3: entry 2 cut out
        forgeries.push_back({"a gap in seq", e});
    }
    {
        AuditEntry e = second;
        e.prevHash = std::string(64, '0');
        e.hash = AuditLog::chainHash(e);
        forgeries.push_back({"a wrong prev_hash", e});
    }
    {
        AuditEntry e = second;
        e.detail = "altered after it was hashed";
        forgeries.push_back({"a hash that does not recompute", e});
    }
    for (const Forgery& f : forgeries) {
        INFO(f.what);
        auto r = a.push({a.op("audit", newUuid(), "@append", auditEntryToJson(f.entry))});
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].error == std::string(errors::kAuditChainBroken));
        CHECK(r.rejected[0].message.find("not accepted") != std::string::npos);
    }

    // The real entry 2 still follows entry 1: the forgeries moved nothing.
    auto good = a.push({a.op("audit", newUuid(), "@append", auditEntryToJson(second))});
    CHECK(good.rejected.empty());

    // The team's pulls are unaffected, and never carry audit entries.
    for (const auto& op : b.pull().ops)
        CHECK(op.entity != "audit");

    CHECK(server.auditEntries(a.id) == 2);
    CHECK(server.storeCount("SELECT count(*) FROM access_denials WHERE reason LIKE 'audit entry refused:%';")
          == static_cast<std::int64_t>(forgeries.size()));
    CHECK(server.storeCount("SELECT count(*) FROM server_audit WHERE action = 'audit_entry_refused';")
          == static_cast<std::int64_t>(forgeries.size()));
    CHECK(server.log().find("audit_entry_refused") != std::string::npos);
    CHECK(server.log().find("pc.a") == std::string::npos);  // no user names in the server's log
}

TEST_CASE("A device's first audit entry that does not start a chain is refused", "[sync][audit]")
{
    ServerProcess server;
    server.addUser("pc.a");
    SyncClient client;
    RawDevice a(client, server, "pc.a");
    AuditEntry e = nextEntry(nullptr, "pc.a", a.id);
    e.seq = 5;
    e.prevHash = std::string(64, 'a');
    e.hash = AuditLog::chainHash(e);
    auto r = a.push({a.op("audit", newUuid(), "@append", auditEntryToJson(e))});
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].error == std::string(errors::kAuditChainBroken));
}

TEST_CASE("An administrator's role change is in the exported audit trail, as JSON and as CSV", "[sync][audit][admin]")
{
    ServerProcess server;
    server.addUser("pc.a");
    auto changed = server.admin({"user", "update", "pc.a", "--role", "supervisor", "--restricted", "yes"});
    INFO(changed.err);
    REQUIRE(changed.exitCode == 0);

    TempDir dir("vigil-audit-export");
    const auto json = dir.path() / "trail.json";
    auto exported = server.admin({"audit", "export", "--user", "pc.a", "--format", "json", "--out", json.string()});
    INFO(exported.err);
    REQUIRE(exported.exitCode == 0);
    struct stat st{};
    REQUIRE(::stat(json.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const auto trail = nlohmann::json::parse(readAll(json));
    bool found = false;
    bool added = false;
    for (const auto& row : trail) {
        added = added || row.at("action") == "user_added";
        if (row.at("action") != "user_changed")
            continue;
        found = true;
        CHECK(row.at("source") == "server");
        CHECK(row.at("user") == "pc.a");
        CHECK_FALSE(row.at("actor").get<std::string>().empty());  // the OS account that ran vigil-admin
        CHECK(row.at("detail").at("changed").at("role") == nlohmann::json::array({"officer", "supervisor"}));
        CHECK(row.at("detail").at("changed").at("restricted_clearance") == nlohmann::json::array({false, true}));
    }
    CHECK(found);
    CHECK(added);

    const auto csv = dir.path() / "trail.csv";
    auto asCsv = server.admin({"audit", "export", "--user", "pc.a", "--from", "2000-01-01", "--to", "2999-12-31",
                               "--format", "csv", "--out", csv.string()});
    INFO(asCsv.err);
    REQUIRE(asCsv.exitCode == 0);
    const std::string text = readAll(csv);
    CHECK(text.rfind("source,seq,at,actor,action,user,device,records,detail,hash\n", 0) == 0);
    CHECK(text.find("\"user_changed\"") != std::string::npos);

    // An existing file is not overwritten.
    auto again = server.admin({"audit", "export", "--user", "pc.a", "--format", "csv", "--out", csv.string()});
    CHECK(again.exitCode == 1);
    // A period with nothing in it.
    const auto empty = dir.path() / "empty.json";
    auto none = server.admin({"audit", "export", "--user", "pc.a", "--from", "2001-01-01", "--to", "2001-01-02",
                              "--format", "json", "--out", empty.string()});
    REQUIRE(none.exitCode == 0);
    CHECK(nlohmann::json::parse(readAll(empty)).empty());
}

TEST_CASE("audit verify reports the chain intact, then names the first entry altered in the table", "[sync][audit][admin]")
{
    ServerProcess server;
    server.addUser("pc.a");
    server.addUser("pc.b");
    REQUIRE(server.admin({"user", "update", "pc.a", "--scope", "borough"}).exitCode == 0);
    SyncClient client;
    RawDevice a(client, server, "pc.a");
    (void)a.pull();

    auto intact = server.admin({"audit", "verify"});
    INFO(intact.out << intact.err);
    REQUIRE(intact.exitCode == 0);
    CHECK(intact.out.find("intact") != std::string::npos);

    const std::int64_t entries = server.storeCount("SELECT count(*) FROM server_audit;");
    REQUIRE(entries >= 4);  // two users added, one changed, one code, one enrolment
    CHECK(intact.out.find(std::to_string(entries) + " entries") != std::string::npos);
    // Someone with the store's key rewrites what an administrator did.
    server.storeExec("UPDATE server_audit SET detail = '{\"changed\":{}}' WHERE seq = 3;");
    auto broken = server.admin({"audit", "verify"});
    INFO(broken.out << broken.err);
    CHECK(broken.exitCode == 1);
    CHECK(broken.out.find("BROKEN at entry 3") != std::string::npos);
    CHECK(broken.out.find("altered") != std::string::npos);

    // Putting the hash right is not enough: the next entry names the old one.
    server.storeExec("DELETE FROM server_audit WHERE seq = 3;");
    auto cut = server.admin({"audit", "verify"});
    CHECK(cut.exitCode == 1);
    CHECK(cut.out.find("BROKEN at entry 3") != std::string::npos);
    CHECK(cut.out.find("missing") != std::string::npos);
}
