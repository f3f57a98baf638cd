// Victim casework (issue 24): an IDVA's caseload of 2,000 cases with 50 contacts each on a
// real SQLCipher store. Targets: the caseload opens in under 200 ms, a case in under 100 ms,
// every due date recomputed in under 50 ms, a contact logged in under 50 ms (p99).
//   build/ci/tests/bench/vigil_bench_caseload                 2,000 cases x 50 contacts
//   VIGIL_BENCH_CASES=N VIGIL_BENCH_CONTACTS=M ...            another size
//   VIGIL_BENCH_SMOKE=1 ...                                   50 cases x 5 contacts, for CI
#include <cstdio>

#include "core/casework/WorkingDays.h"
#include "core/common/Uuid.h"
#include "core/records/CaseRepository.h"
#include "core/risk/Dates.h"
#include "core/store/SecureStore.h"
#include "tests/bench/BenchSupport.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/support/TempDir.h"

using namespace vigil;
using namespace vigil::bench;

namespace {
int envInt(const char* name, int fallback)
{
    const char* v = std::getenv(name);
    return v && *v && !smoke() ? std::max(1, std::atoi(v)) : fallback;
}
}  // namespace

int main()
{
    const int caseCount = envInt("VIGIL_BENCH_CASES", smoke() ? 50 : 2000);
    const int contactsPerCase = envInt("VIGIL_BENCH_CONTACTS", smoke() ? 5 : 50);
    test::TempDir dir("vigil-bench-caseload");
    test::InMemorySecretStore secrets;
    StoreConfig config;
    config.kdf = KdfStrength::Interactive;  // the unlock is not what is measured here
    SecureStore store(dir.path() / "store", secrets, config);
    must(store.setUp("480516"));
    const VictimsCodeRules rules;
    const WorkingDays calendar = must(WorkingDays::loadFile(shippedBankHolidayFile()));
    const Actor officer{"pc.bench", "benchmark"};
    const Actor idva{"idva.bench", "benchmark"};
    std::printf("Vigil caseload benchmark: %d cases x %d contacts%s\n", caseCount, contactsPerCase,
                smoke() ? " (smoke run: figures not meaningful)" : "");
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::vector<CaseKey> keys;
    {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        CaseRepository cases(*records);
        const auto t0 = Steady::now();
        for (int i = 0; i < caseCount; ++i) {
            const std::string incident = newUuid(), victim = newUuid(), referral = newUuid();
            must(records->transaction([&]() -> Status {
                VIGIL_TRY(records->create(officer, Entity::Incident, incident, incident, "", nlohmann::json::object(),
                                          {{"refs.cad", "CAD " + std::to_string(i)}}));
                VIGIL_TRY(records->create(officer, Entity::Person, victim, incident, "", {{"incident", incident}},
                                          {{"role", "victim"},
                                           {"person.name", "Invented Victim " + std::to_string(i)},
                                           {"grade.officer", i % 3 == 0 ? "high" : i % 3 == 1 ? "medium" : "standard"},
                                           {"safe_contact.phone", true},
                                           {"safe_contact.text", false},
                                           {"safe_contact.safe_times", ""}}));
                return records->create(officer, Entity::Referral, referral, incident, victim,
                                       {{"incident", incident}, {"parent", victim}},
                                       {{"agency", "idva"}, {"to_user", idva.userId}});
            }));
            const CaseKey key = referralCase(referral);
            keys.push_back(key);
            must(records->transaction([&]() -> Status {
                for (int c = 0; c < contactsPerCase; ++c) {
                    CaseContact contact;
                    contact.method = ContactMethod::Phone;
                    contact.outcome = c % 4 == 0 ? ContactOutcome::NoAnswer : ContactOutcome::Spoke;
                    contact.at = formatIsoDateTime(now - std::chrono::hours(24 * (contactsPerCase - c)));
                    contact.notes = "Contact " + std::to_string(c) + ": talked through the safety plan and the next steps.";
                    contact.nextDue = formatIsoDateTime(now + std::chrono::hours(24 * ((i + c) % 10) - 72));
                    auto logged = cases.logContact(idva, key, contact);
                    if (!logged)
                        return std::move(logged).error();
                }
                return {};
            }));
        }
        std::printf("generate: %.1f s (%d cases, %d contacts)\n", ms(Steady::now() - t0) / 1000, caseCount,
                    caseCount * contactsPerCase);
        must(db->checkpoint());
    }
    std::vector<double> coldLoad, warmLoad, openCase, dueAll, logged;
    std::size_t rows = 0;
    for (int run = 0; run < (smoke() ? 1 : 5); ++run) {
        auto db = must(store.unlock("480516"));
        auto records = must(RecordStore::open(*db, systemClock()));
        CaseRepository cases(*records);
        auto t0 = Steady::now();
        auto load = must(cases.caseload(idva.userId, Role::Idva, rules, calendar, now, OrdersRules{}));
        coldLoad.push_back(ms(Steady::now() - t0));
        t0 = Steady::now();
        load = must(cases.caseload(idva.userId, Role::Idva, rules, calendar, now, OrdersRules{}));
        warmLoad.push_back(ms(Steady::now() - t0));
        rows = load.size();
        // Opening a case: its rows read and assembled.
        std::vector<VictimCase> opened;
        for (int k = 0; k < 20; ++k) {
            t0 = Steady::now();
            opened.push_back(must(cases.read(keys[static_cast<std::size_t>((k * 97) % caseCount)])));
            openCase.push_back(ms(Steady::now() - t0));
        }
        // Every due date of every case recomputed (the cases already in memory).
        std::vector<VictimCase> all;
        for (const CaseKey& key : keys)
            all.push_back(must(cases.read(key)));
        t0 = Steady::now();
        std::size_t items = 0;
        for (const VictimCase& c : all)
            items += must(cases.due(c, rules, calendar, now)).items.size() + 2;
        dueAll.push_back(ms(Steady::now() - t0));
        // Logging a contact (checked against the safe-contact answers, appended, the case moved on).
        for (int k = 0; k < (smoke() ? 5 : 60); ++k) {
            CaseContact contact;
            contact.method = ContactMethod::Phone;
            contact.outcome = ContactOutcome::Spoke;
            contact.notes = "Benchmark contact";
            t0 = Steady::now();
            (void)must(cases.logContact(idva, keys[static_cast<std::size_t>((k * 31 + run) % caseCount)], contact));
            logged.push_back(ms(Steady::now() - t0));
        }
        (void)items;
    }
    const auto c = stats(coldLoad), w = stats(warmLoad), o = stats(openCase), d = stats(dueAll), l = stats(logged);
    std::printf("caseload (%zu cases): cold median %.1f ms (max %.1f), warm median %.1f ms   target < 200 ms\n", rows,
                c.median, c.max, w.median);
    std::printf("open a case (%d contacts): median %.2f ms, p99 %.2f ms   target < 100 ms\n", contactsPerCase, o.median, o.p99);
    std::printf("every due date recomputed (%d cases): median %.1f ms, max %.1f ms   target < 50 ms\n", caseCount, d.median,
                d.max);
    std::printf("log a contact: median %.2f ms, p99 %.2f ms, max %.2f ms   target p99 < 50 ms\n", l.median, l.p99, l.max);
    return 0;
}
