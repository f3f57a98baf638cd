// Child process for the crash test: opens the store with the raw key (hex on stdin) and
// commits numbered multi-row batches forever, writing "<batch>\n" to stdout after each
// commit returns. The parent SIGKILLs it at random moments.
#include <cstdio>
#include <iostream>
#include <string>

#include <unistd.h>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"
#include "tests/tools/CrashBatches.h"

using namespace vigil;

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: vigil_crash_writer <store.db>  (raw key as 64 hex digits on stdin)\n";
        return 2;
    }
    std::string hex;
    std::getline(std::cin, hex);
    SecureBytes key(kDataKeyBytes);
    if (!fromHex(hex, std::span(key.data(), key.size()))) {
        std::cerr << "vigil_crash_writer: the key on stdin must be 64 hex digits\n";
        return 2;
    }
    OpenOptions options;
    options.create = true;
    auto db = Database::open(argv[1], key.span(), options);
    if (!db) {
        std::cerr << "vigil_crash_writer: " << db.error().message << "\n";
        return 1;
    }
    Database& d = **db;
    if (auto s = d.exec("CREATE TABLE IF NOT EXISTS batch_row (batch INTEGER NOT NULL, idx INTEGER NOT NULL, "
                        "payload TEXT NOT NULL, PRIMARY KEY (batch, idx));");
        !s.ok()) {
        std::cerr << "vigil_crash_writer: " << s.error().message << "\n";
        return 1;
    }
    auto last = d.queryInt("SELECT coalesce(max(batch), 0) FROM batch_row;");
    if (!last) {
        std::cerr << "vigil_crash_writer: " << last.error().message << "\n";
        return 1;
    }
    for (std::int64_t batch = *last + 1;; ++batch) {
        Status s = d.transaction([&]() -> Status {
            auto q = d.prepare("INSERT INTO batch_row (batch, idx, payload) VALUES (?1, ?2, ?3);");
            if (!q)
                return std::move(q).error();
            for (int idx = 0; idx < test::crashBatchRows(batch); ++idx) {
                q->bind(1, batch).bind(2, idx).bind(3, test::crashPayload(batch, idx));
                VIGIL_TRY(q->run());
            }
            return {};
        });
        if (!s.ok()) {
            std::cerr << "vigil_crash_writer: " << s.error().message << "\n";
            return 1;
        }
        // The acknowledgement: only after COMMIT has returned (and so been fsync'd).
        const std::string ack = std::to_string(batch) + "\n";
        if (::write(STDOUT_FILENO, ack.data(), ack.size()) < 0)
            return 1;
    }
}
