#pragma once

#include <memory>

#include "core/records/RecordStore.h"
#include "core/store/Database.h"
#include "tests/support/StoreFixture.h"

namespace vigil::test {

/// An unlocked device store with its RecordStore, on a manual clock.
struct RecordsFixture : StoreFixture {
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> records;
    Actor officer{"officer-1042", "recording the incident"};

    RecordsFixture()
    {
        if (!store->setUp(kGoodPin).ok())
            throw std::runtime_error("set up failed");
        auto opened = store->unlock(kGoodPin);
        if (!opened)
            throw std::runtime_error(opened.error().message);
        db = std::move(opened).value();
        auto rs = RecordStore::open(*db, time.clock());
        if (!rs)
            throw std::runtime_error(rs.error().message);
        records = std::move(rs).value();
    }
};

}  // namespace vigil::test
