// The server store's behaviour, asserted once and run on both backends (issue 26): SQLCipher and
// PostgreSQL. Each TEMPLATE_TEST_CASE runs as "<name> - vigil::test::SqlCipherBackend" and
// "<name> - vigil::test::PgBackend".
#include <catch2/catch.hpp>

#include "tests/sync/StoreBackends.h"

using namespace vigil;
using namespace vigil::sync;
using namespace vigil::test;

namespace {

constexpr std::int64_t kNow = 1'795'000'000;

UserRecord user(const std::string& id, sync::Role role = sync::Role::Officer, const std::string& name = "Ada Lovelace")
{
    UserRecord u;
    u.info.id = id;
    u.info.displayName = name;
    u.info.role = role;
    u.info.team = "team-a";
    u.info.borough = "Camden";
    u.info.scope = sync::Scope::Team;
    u.createdAt = kNow;
    u.updatedAt = kNow;
    return u;
}

SecretHash hashOf(unsigned char fill)
{
    SecretHash h{};
    h.fill(fill);
    return h;
}

EnrolCodeRecord code(const std::string& id, const std::string& userId, unsigned char secret, int maxTries = 3)
{
    EnrolCodeRecord c;
    c.id = id;
    c.userId = userId;
    c.secretHash = hashOf(secret);
    c.createdAt = kNow;
    c.expiresAt = kNow + 3600;
    c.maxTries = maxTries;
    return c;
}

RedeemAttempt attempt(const std::string& codeId, unsigned char secret, const std::string& deviceId, unsigned char token,
                      std::int64_t now = kNow + 10)
{
    RedeemAttempt a;
    a.codeId = codeId;
    a.secretHash = hashOf(secret);
    a.now = now;
    a.newDevice.id = deviceId;
    a.newDevice.name = "Tablet of Ada Lovelace";
    a.tokenHash = hashOf(token);
    a.wipeReceiptHash = hashOf(static_cast<unsigned char>(token + 100));
    return a;
}

/// A user with one enrolled device (token `token`).
template <typename B>
void enrolled(B& b, const std::string& userId, const std::string& deviceId, unsigned char token)
{
    if (!b.get().findUser(userId).value())
        REQUIRE(b.get().addUser(user(userId)).ok());
    const std::string codeId = "code-" + deviceId;
    REQUIRE(b.get().addEnrolCode(code(codeId, userId, 7)).ok());
    auto r = b.get().redeemEnrolCode(attempt(codeId, 7, deviceId, token));
    REQUIRE(r.ok());
    REQUIRE(r->outcome == RedeemOutcome::Enrolled);
}

}  // namespace

#define STORE_TEST(name, tags) TEMPLATE_TEST_CASE(name, tags, vigil::test::SqlCipherBackend, vigil::test::PgBackend)

STORE_TEST("Users are added and found and listed in id order and changed and a second add of one id is refused",
           "[store][users]")
{
    TestType b;
    if (!b.start())
        return;
    ServerStore& s = b.get();
    REQUIRE(s.addUser(user("zoe", sync::Role::Supervisor, "Zoë Brontë")).ok());
    REQUIRE(s.addUser(user("Bob")).ok());
    REQUIRE(s.addUser(user("alice")).ok());

    auto again = s.addUser(user("alice"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::AlreadyExists);
    CHECK(again.error().message == "A user with id alice already exists. Use `user update` to change them.");

    auto found = s.findUser("zoe");
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->info.displayName == "Zoë Brontë");
    CHECK((*found)->info.role == sync::Role::Supervisor);
    CHECK((*found)->info.scope == sync::Scope::Team);
    CHECK((*found)->info.borough == "Camden");
    CHECK((*found)->active);
    CHECK_FALSE(s.findUser("nobody").value().has_value());

    auto all = s.listUsers();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 3);
    // Byte order, as SQLite orders text: capitals first.
    CHECK((*all)[0].info.id == "Bob");
    CHECK((*all)[1].info.id == "alice");
    CHECK((*all)[2].info.id == "zoe");

    UserRecord changed = user("alice", sync::Role::Investigator, "Alice Smith");
    changed.info.restrictedClearance = true;
    changed.active = false;
    changed.updatedAt = kNow + 60;
    REQUIRE(s.updateUser(changed).ok());
    auto after = s.findUser("alice").value();
    REQUIRE(after.has_value());
    CHECK(after->info.role == sync::Role::Investigator);
    CHECK(after->info.displayName == "Alice Smith");
    CHECK(after->info.restrictedClearance);
    CHECK_FALSE(after->active);
    CHECK(after->updatedAt == kNow + 60);

    auto unknown = s.updateUser(user("nobody"));
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::NotFound);
    CHECK(unknown.error().message == "There is no user with id nobody. See `user list`.");

    // Three additions and one change, each in the server's chain.
    auto chain = s.verifyAudit();
    REQUIRE(chain.ok());
    CHECK(chain->intact);
    CHECK(chain->entries == 4);
}

STORE_TEST("An enrolment code enrols one device once and wrong secrets count down to the code's death",
           "[store][enrol]")
{
    TestType b;
    if (!b.start())
        return;
    ServerStore& s = b.get();
    REQUIRE(s.addUser(user("ada")).ok());
    REQUIRE(s.addEnrolCode(code("c1", "ada", 7, 3)).ok());

    auto unknown = s.redeemEnrolCode(attempt("nope", 7, "dev-x", 1));
    REQUIRE(unknown.ok());
    CHECK(unknown->outcome == RedeemOutcome::UnknownCode);

    auto wrong = s.redeemEnrolCode(attempt("c1", 8, "dev-1", 1));
    REQUIRE(wrong.ok());
    CHECK(wrong->outcome == RedeemOutcome::WrongSecret);
    CHECK(wrong->triesLeft == 2);

    auto ok = s.redeemEnrolCode(attempt("c1", 7, "dev-1", 1));
    REQUIRE(ok.ok());
    CHECK(ok->outcome == RedeemOutcome::Enrolled);
    CHECK(ok->deviceId == "dev-1");
    REQUIRE(ok->user.has_value());
    CHECK(ok->user->info.id == "ada");
    CHECK(ok->triesLeft == 2);

    auto twice = s.redeemEnrolCode(attempt("c1", 7, "dev-2", 2));
    REQUIRE(twice.ok());
    CHECK(twice->outcome == RedeemOutcome::AlreadyUsed);
    CHECK(s.listDevices().value().size() == 1);

    // A code tried too often dies, even for the right secret.
    REQUIRE(s.addEnrolCode(code("c2", "ada", 9, 2)).ok());
    CHECK(s.redeemEnrolCode(attempt("c2", 1, "dev-3", 3)).value().triesLeft == 1);
    auto last = s.redeemEnrolCode(attempt("c2", 1, "dev-3", 3));
    CHECK(last.value().outcome == RedeemOutcome::WrongSecret);
    CHECK(last.value().triesLeft == 0);
    auto dead = s.redeemEnrolCode(attempt("c2", 9, "dev-3", 3));
    CHECK(dead.value().outcome == RedeemOutcome::TooManyTries);

    // Expired at its expiry second.
    REQUIRE(s.addEnrolCode(code("c3", "ada", 5)).ok());
    CHECK(s.redeemEnrolCode(attempt("c3", 5, "dev-4", 4, kNow + 3600)).value().outcome == RedeemOutcome::Expired);

    // A deactivated user's code enrols nothing.
    UserRecord gone = user("ada");
    gone.active = false;
    REQUIRE(s.updateUser(gone).ok());
    REQUIRE(s.addEnrolCode(code("c4", "ada", 6)).ok());
    CHECK(s.redeemEnrolCode(attempt("c4", 6, "dev-5", 5)).value().outcome == RedeemOutcome::UserInactive);
    CHECK(s.listDevices().value().size() == 1);

    auto chain = s.verifyAudit().value();
    CHECK(chain.intact);
    // user_added, 4 codes, one enrolment, user_changed.
    CHECK(chain.entries == 7);
}

STORE_TEST("Devices are found by token and listed and revoked with a wipe order and touched", "[store][devices]")
{
    TestType b;
    if (!b.start())
        return;
    ServerStore& s = b.get();
    enrolled(b, "ada", "dev-1", 11);
    enrolled(b, "ada", "dev-2", 12);

    auto who = s.findDeviceByToken(hashOf(11));
    REQUIRE(who.ok());
    REQUIRE(who->has_value());
    CHECK((*who)->device.id == "dev-1");
    CHECK((*who)->device.name == "Tablet of Ada Lovelace");
    CHECK((*who)->device.userId == "ada");
    CHECK((*who)->device.hasWipeReceipt);
    CHECK((*who)->device.tokenIssuedAt == kNow + 10);
    CHECK((*who)->user.info.displayName == "Ada Lovelace");
    CHECK_FALSE((*who)->pendingToken);
    CHECK_FALSE(s.findDeviceByToken(hashOf(99)).value().has_value());

    REQUIRE(s.touchDevice("dev-2", kNow + 500).ok());
    REQUIRE(s.revokeDevice("dev-1", kNow + 100, true).ok());
    // Revoking again keeps the first time and the wipe order.
    REQUIRE(s.revokeDevice("dev-1", kNow + 200, false).ok());
    auto missing = s.revokeDevice("dev-9", kNow, false);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK(missing.error().message == "There is no device with id dev-9. See `device list`.");

    auto list = s.listDevices();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 2);
    CHECK((*list)[0].id == "dev-1");
    CHECK((*list)[0].revokedAt == kNow + 100);
    CHECK((*list)[0].wipe);
    CHECK((*list)[1].id == "dev-2");
    CHECK((*list)[1].lastSeenAt == kNow + 500);
    CHECK_FALSE((*list)[1].revokedAt.has_value());
    // A revoked device is still found (the server answers it "revoked").
    CHECK(s.findDeviceByToken(hashOf(11)).value()->device.revokedAt == kNow + 100);
    CHECK(s.verifyAudit().value().intact);
}

STORE_TEST("A wipe report is verified by its receipt and recorded once and retires the credential", "[store][wipe]")
{
    TestType b;
    if (!b.start())
        return;
    ServerStore& s = b.get();
    enrolled(b, "ada", "dev-1", 21);
    const SecretHash receipt = hashOf(121);

    CHECK(s.recordWipe("dev-1", hashOf(1), kNow + 50, "user", "[]").value() == WipeRecordOutcome::NotVerified);
    CHECK(s.recordWipe("dev-9", receipt, kNow + 50, "user", "[]").value() == WipeRecordOutcome::NotVerified);
    const std::string report = R"(["records","keys","photos"])";
    CHECK(s.recordWipe("dev-1", receipt, kNow + 60, "remote", report).value() == WipeRecordOutcome::Recorded);
    CHECK(s.recordWipe("dev-1", receipt, kNow + 70, "remote", report).value() == WipeRecordOutcome::AlreadyRecorded);

    CHECK_FALSE(s.findDeviceByToken(hashOf(21)).value().has_value());
    auto d = s.listDevices().value().at(0);
    CHECK(d.wipedAt == kNow + 60);
    CHECK(d.wipeReason == "remote");
    CHECK(d.wipeReport == report);
    CHECK(d.wipe);
    CHECK(d.revokedAt == kNow + 60);

    // A receipt is kept only when none is: setWipeReceipt does not replace one.
    REQUIRE(s.setWipeReceipt("dev-1", hashOf(5)).ok());
    CHECK(s.recordWipe("dev-1", hashOf(5), kNow + 80, "user", "[]").value() == WipeRecordOutcome::NotVerified);
    CHECK(s.recordWipe("dev-1", receipt, kNow + 80, "user", "[]").value() == WipeRecordOutcome::AlreadyRecorded);
    // user, code, enrolment, one wipe report.
    CHECK(s.verifyAudit().value().entries == 4);
}

STORE_TEST("A new credential works beside the old until used and then alone and an expired device re-enrols as itself",
           "[store][credentials]")
{
    TestType b;
    if (!b.start())
        return;
    ServerStore& s = b.get();
    enrolled(b, "ada", "dev-1", 31);

    REQUIRE(s.issuePendingToken("dev-1", hashOf(32), kNow + 100).ok());
    auto viaNew = s.findDeviceByToken(hashOf(32)).value();
    REQUIRE(viaNew.has_value());
    CHECK(viaNew->device.id == "dev-1");
    CHECK(viaNew->pendingToken);
    CHECK_FALSE(s.findDeviceByToken(hashOf(31)).value()->pendingToken);

    REQUIRE(s.confirmToken("dev-1", hashOf(132), kNow + 200).ok());
    CHECK_FALSE(s.findDeviceByToken(hashOf(31)).value().has_value());
    auto now = s.findDeviceByToken(hashOf(32)).value();
    REQUIRE(now.has_value());
    CHECK_FALSE(now->pendingToken);
    CHECK(now->device.tokenIssuedAt == kNow + 200);
    // Nothing pending: confirming again changes nothing.
    REQUIRE(s.confirmToken("dev-1", hashOf(133), kNow + 300).ok());
    CHECK(s.findDeviceByToken(hashOf(32)).value()->device.tokenIssuedAt == kNow + 200);

    auto unknown = s.issuePendingToken("dev-9", hashOf(40), kNow);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::NotFound);
    CHECK(unknown.error().message == "There is no active device with id dev-9.");

    // Expired once (audited once), and a pending credential dropped.
    REQUIRE(s.issuePendingToken("dev-1", hashOf(33), kNow + 400).ok());
    REQUIRE(s.expireDevice("dev-1", kNow + 500).ok());
    REQUIRE(s.expireDevice("dev-1", kNow + 600).ok());
    CHECK_FALSE(s.findDeviceByToken(hashOf(33)).value().has_value());
    CHECK(s.findDeviceByToken(hashOf(32)).value()->device.expiredAt == kNow + 500);

    // Re-enrolment with the expired credential: the same device id, a new credential.
    REQUIRE(s.addEnrolCode(code("re", "ada", 8)).ok());
    RedeemAttempt again = attempt("re", 8, "dev-new", 34, kNow + 700);
    again.previousTokenHash = hashOf(32);
    auto r = s.redeemEnrolCode(again).value();
    CHECK(r.outcome == RedeemOutcome::Enrolled);
    CHECK(r.deviceId == "dev-1");
    auto back = s.findDeviceByToken(hashOf(34)).value();
    REQUIRE(back.has_value());
    CHECK(back->device.id == "dev-1");
    CHECK_FALSE(back->device.expiredAt.has_value());
    CHECK(s.listDevices().value().size() == 1);

    // A device that is not expired does not come back that way; the code stays unused.
    REQUIRE(s.addEnrolCode(code("re2", "ada", 9)).ok());
    RedeemAttempt refused = attempt("re2", 9, "dev-new", 35, kNow + 800);
    refused.previousTokenHash = hashOf(34);
    CHECK(s.redeemEnrolCode(refused).value().outcome == RedeemOutcome::ReenrolRefused);
    CHECK(s.redeemEnrolCode(attempt("re2", 9, "dev-2", 36, kNow + 800)).value().outcome == RedeemOutcome::Enrolled);

    auto chain = s.verifyAudit().value();
    CHECK(chain.intact);
    // user, code, enrolment, rotation, expiry (once), code, re-enrolment, code, enrolment.
    CHECK(chain.entries == 9);
}

STORE_TEST("A store has an incarnation that stays and no seq for a device it never heard from", "[store][restore]")
{
    TestType b;
    if (!b.start())
        return;
    auto first = b.get().incarnation();
    REQUIRE(first.ok());
    CHECK(first->size() == 32);
    CHECK(b.get().incarnation().value() == *first);
    CHECK(b.get().lastSeq("dev-never").value() == 0);
}

STORE_TEST("audit verify names the first entry altered or removed or out of its chain", "[store][audit]")
{
    TestType b;
    if (!b.start())
        return;
    for (int i = 0; i < 5; ++i) {
        ServerAuditEntry e;
        e.at = kNow + i;
        e.actor = "root";
        e.action = "figures_report";
        e.userId = "ada";
        e.incidents = {"inc-" + std::to_string(i)};
        e.detail = {{"n", i}};
        REQUIRE(b.appendAudit(e).ok());
    }
    REQUIRE(b.get().auditFigures("figures_served", "ada", "dev-1", {{"borough", "Camden"}}, kNow + 9).ok());
    auto intact = b.get().verifyAudit().value();
    CHECK(intact.intact);
    CHECK(intact.entries == 6);

    SECTION("altered")
    {
        REQUIRE(b.sql("UPDATE server_audit SET detail = '{\"n\":9}' WHERE seq = 3;").ok());
        auto v = b.get().verifyAudit().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 3);
        CHECK(v.problem == "entry 3 was altered (its hash does not match its content)");
    }
    SECTION("removed")
    {
        REQUIRE(b.sql("DELETE FROM server_audit WHERE seq = 4;").ok());
        auto v = b.get().verifyAudit().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 4);
        CHECK(v.problem == "entry 4 is missing");
        CHECK(v.entries == 3);
    }
    SECTION("out of its chain")
    {
        REQUIRE(b.sql("UPDATE server_audit SET prev_hash = 'x' WHERE seq = 2;").ok());
        auto v = b.get().verifyAudit().value();
        CHECK_FALSE(v.intact);
        CHECK(v.firstBadSeq == 2);
        CHECK(v.problem == "entry 2 does not follow the entry before it (prev_hash)");
    }
}

STORE_TEST("Bank-holiday lists are kept per version and only a higher version is taken", "[store][bank-holidays]")
{
    TestType b;
    if (!b.start())
        return;
    ServerStore& s = b.get();
    CHECK(s.bankHolidaysVersion().value() == 0);
    CHECK_FALSE(s.bankHolidays().value().has_value());
    CHECK(s.bankHolidayImports().value().empty());

    BankHolidayImport list;
    list.version = 3;
    list.text = R"({"england-and-wales":{"division":"england-and-wales","events":[]}})";
    list.sha256 = "ab";
    list.coversFrom = "2026-01-01";
    list.coversTo = "2027-12-31";
    list.holidays = 16;
    list.importedAt = kNow;
    list.importedBy = "root";
    list.fileName = "bank-holidays.json";
    REQUIRE(s.addBankHolidays(list).ok());

    BankHolidayImport same = list;
    same.importedAt = kNow + 5;
    auto refused = s.addBankHolidays(same);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::AlreadyExists);
    CHECK(refused.error().field == "version");
    CHECK(refused.error().message
          == "The server already holds version 3 of the bank-holiday list (imported meanwhile?): raise the version "
             "above it. Nothing was changed.");

    BankHolidayImport next = list;
    next.version = 4;
    next.text = R"({"england-and-wales":{"division":"england-and-wales","events":[{"date":"2026-12-25"}]}})";
    next.removed = R"(["2026-05-04"])";
    next.importedAt = kNow + 10;
    REQUIRE(s.addBankHolidays(next).ok());

    CHECK(s.bankHolidaysVersion().value() == 4);
    auto current = s.bankHolidays().value();
    REQUIRE(current.has_value());
    CHECK(current->version == 4);
    CHECK(current->text == next.text);
    CHECK(current->removed == R"(["2026-05-04"])");
    auto all = s.bankHolidayImports().value();
    REQUIRE(all.size() == 2);
    CHECK(all[0].version == 4);
    CHECK(all[1].version == 3);
    CHECK(all[1].removed == "[]");
    CHECK(all[1].text.empty());
    CHECK(all[1].importedBy == "root");
    CHECK(all[1].holidays == 16);
    auto chain = s.verifyAudit().value();
    CHECK(chain.intact);
    CHECK(chain.entries == 2);
}
