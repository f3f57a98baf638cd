// Child process for the outbox crash test: opens the store with the raw key (hex on stdin),
// creates one incident, then autosaves DASH answers through the repository forever, writing
// "<n>\n" to stdout after each save commits. The parent SIGKILLs it at random moments and
// checks that no write ever exists without its outbox op and audit entry, or the reverse.
#include <iostream>
#include <string>

#include <unistd.h>

#include "core/records/IncidentRepository.h"
#include "core/store/Database.h"
#include "core/store/Schema.h"
#include "core/store/SecureBytes.h"

using namespace vigil;

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: vigil_records_crash_writer <store.db>  (raw key as 64 hex digits on stdin)\n";
        return 2;
    }
    std::string hex;
    std::getline(std::cin, hex);
    SecureBytes key(kDataKeyBytes);
    if (!fromHex(hex, std::span(key.data(), key.size())))
        return 2;
    OpenOptions options;
    options.create = true;
    auto db = Database::open(argv[1], key.span(), options);
    const auto fail = [](const Error& e) {
        std::cerr << "vigil_records_crash_writer: " << e.message << "\n";
        return 1;
    };
    if (!db)
        return fail(db.error());
    if (Status s = migrate(**db, deviceSchema()); !s.ok())
        return fail(s.error());
    auto records = RecordStore::open(**db, systemClock());
    if (!records)
        return fail(records.error());
    IncidentRepository repo(**records);
    const Actor officer{"officer-crash", "crash test"};
    auto ids = (*records)->incidentIds(1);
    if (!ids)
        return fail(ids.error());
    Incident incident;
    if (ids->empty()) {
        Incident draft;
        draft.victims.push_back(Victim{});
        draft.victims[0].person.name = "Crash Test Victim";
        auto created = repo.createDraft(officer, draft);
        if (!created)
            return fail(created.error());
        incident = *created;
    } else {
        auto loaded = repo.load(officer, ids->front());
        if (!loaded)
            return fail(loaded.error());
        incident = *loaded;
    }
    for (long n = 1;; ++n) {
        Answer a;
        a.value = n % 3 == 0 ? AnswerValue::Yes : n % 3 == 1 ? AnswerValue::No : AnswerValue::DontKnow;
        a.note = "tap " + std::to_string(n);
        if (Status s = repo.saveAnswer(officer, incident.id, incident.victims[0].id, "q" + std::to_string(n % 27 + 1), a);
            !s.ok())
            return fail(s.error());
        const std::string ack = std::to_string(n) + "\n";
        if (::write(STDOUT_FILENO, ack.data(), ack.size()) < 0)
            return 1;
    }
}
