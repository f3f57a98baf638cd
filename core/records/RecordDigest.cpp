#include "core/records/RecordDigest.h"
#include "core/records/RecordStore.h"

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "core/store/Database.h"
#include "core/store/SecureBytes.h"

namespace vigil {

namespace {

/// Each part length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
void feed(crypto_generichash_state& state, std::string_view part)
{
    std::array<unsigned char, 8> length{};
    std::uint64_t n = part.size();
    for (auto& b : length) {
        b = static_cast<unsigned char>(n & 0xFF);
        n >>= 8;
    }
    crypto_generichash_update(&state, length.data(), length.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
}

/// JSON text in one canonical form (sorted keys, no spaces), whatever wrote it. The
/// "review.*" fields are a local, derived copy of the last lifecycle command for lists
/// (RecordStore kReview*Field): the @command op is the replicated fact, so they are left out.
std::string canonical(const std::string& text)
{
    auto fields = nlohmann::json::parse(text, nullptr, false);
    if (fields.is_object()) {
        for (auto it = fields.begin(); it != fields.end();) {
            if (it.key().rfind("review.", 0) == 0)
                it = fields.erase(it);
            else
                ++it;
        }
    }
    return fields.dump();
}

/// The stamps with every origin written out. RecordStore stores "<hlc>" for a field the row's
/// origin wrote and "<hlc> <device>" otherwise; the row origin is only that shorthand's base
/// and is not a replicated fact (two devices can create the same deterministic-id row, e.g.
/// one DASH answer, and each keeps itself as the origin), so it is left out of the digest.
std::string absoluteStamps(const std::string& text, const std::string& rowOrigin)
{
    auto stamps = nlohmann::json::parse(text, nullptr, false);
    if (!stamps.is_object())
        return "!" + text;
    for (auto& [field, v] : stamps.items()) {
        if (v.is_string() && v.get_ref<const std::string&>().find(' ') == std::string::npos)
            v = v.get<std::string>() + " " + rowOrigin;
    }
    return stamps.dump();
}

std::string finish(crypto_generichash_state& state)
{
    std::array<unsigned char, 32> out{};
    crypto_generichash_final(&state, out.data(), out.size());
    return toHex(out);
}

}  // namespace

Result<RecordDigest> digestRecords(Database& db, const DigestOptions& options)
{
    ensureSodium();
    RecordDigest digest;
    crypto_generichash_state all;
    crypto_generichash_init(&all, nullptr, 0, 32);
    for (const std::string_view table : allEntityNames()) {
        const std::string entity(table);
        auto q = db.prepare("SELECT id, COALESCE(incident_id, ''), COALESCE(parent_id, ''), origin, deleted, created_hlc,"
                            " fields, stamps FROM " + entity + " ORDER BY id;");
        if (!q)
            return std::move(q).error();
        std::int64_t count = 0;
        VIGIL_TRY(q->forEach([&](const Query& row) {
            const std::string id = row.columnText(0);
            const std::string incident = entity == "incident" ? id : row.columnText(1);
            if (!options.incidents.empty() && !options.incidents.count(incident))
                return;
            crypto_generichash_state one;
            crypto_generichash_init(&one, nullptr, 0, 32);
            feed(one, entity);
            feed(one, id);
            feed(one, row.columnText(1));  // incident
            feed(one, row.columnText(2));  // parent
            feed(one, row.columnText(4));  // deleted
            feed(one, row.columnText(5));  // created_hlc
            feed(one, canonical(row.columnText(6)));
            feed(one, absoluteStamps(row.columnText(7), row.columnText(3)));
            const std::string rowHash = finish(one);
            feed(all, rowHash);
            if (options.perRow)
                digest.rowHashes[entity + "/" + id] = rowHash;
            ++count;
        }));
        digest.rows[entity] = count;
        digest.total += count;
    }
    digest.hash = finish(all);
    return digest;
}

}  // namespace vigil
