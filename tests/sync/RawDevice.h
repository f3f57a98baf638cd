#pragma once

// A device that pushes hand-made ops and pulls raw pages through a real vigil-server: what an
// insider with only their own device credential could send with plain HTTPS requests.

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/common/Uuid.h"
#include "sync/client/DeviceLink.h"
#include "tests/support/InMemorySecretStore.h"
#include "tests/sync/Process.h"

namespace vigil::test {

/// One enrolled device for one user, pushing hand-made ops.
struct RawDevice {
    RawDevice(sync::SyncClient& client, ServerProcess& server, const std::string& user)
        : link(client, secrets, user)
    {
        auto e = link.enrol(server.enrolCode(user), user + "-tablet");
        REQUIRE(e.ok());
        id = e->deviceId;
    }

    Op op(const std::string& entity, const std::string& recordId, const std::string& field, nlohmann::json value)
    {
        Op o;
        o.opId = newUuid();
        o.device = id;
        o.seq = ++seq;
        o.entity = entity;
        o.id = recordId;
        o.field = field;
        o.value = std::move(value);
        o.hlc = (std::uint64_t{1700000000000} << 16) + static_cast<std::uint64_t>(seq);
        return o;
    }

    sync::PushResponse push(const std::vector<Op>& ops)
    {
        sync::ClientRequest req;
        req.method = "POST";
        req.target = "/v1/push";
        req.body = sync::toText(sync::PushRequest{ops});
        auto r = link.request(req);
        REQUIRE(r.ok());
        INFO(r->body);
        REQUIRE(r->status == 200);
        auto parsed = sync::pushResponseFromJson(*sync::parseJson(r->body));
        REQUIRE(parsed.ok());
        return *parsed;
    }

    sync::PullResponse pull()
    {
        sync::ClientRequest req;
        req.target = "/v1/pull?cursor=" + cursor;
        auto r = link.request(req);
        REQUIRE(r.ok());
        INFO(r->body);
        REQUIRE(r->status == 200);
        auto parsed = sync::pullResponseFromJson(*sync::parseJson(r->body));
        REQUIRE(parsed.ok());
        cursor = parsed->cursor;
        return *parsed;
    }

    /// Pull everything and say which records' fields arrived (entity/id/field).
    std::set<std::string> pullFields()
    {
        std::set<std::string> got;
        for (const auto& o : pull().ops)
            got.insert(o.entity + "/" + o.id + "/" + o.field);
        return got;
    }

    InMemorySecretStore secrets;
    sync::DeviceLink link;
    std::string id;
    std::int64_t seq = 0;
    std::string cursor = "0";
};

}  // namespace vigil::test
