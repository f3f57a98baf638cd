#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::sync {

/// The server's operational figures, rendered in the Prometheus text exposition format
/// (version 0.0.4) for GET /metrics on the metrics listener (docs/operations.md).
///
/// Labels never carry personal data or identifiers: endpoints are route names
/// ("/v1/attachments/{id}/chunks/{n}", not the path), devices are only counted. Thread-safe.
class Metrics {
public:
    using Now = std::function<std::chrono::steady_clock::time_point()>;

    /// `activeWindow`: a device counts as connected while its last authenticated request is
    /// at most this old.
    explicit Metrics(std::chrono::seconds activeWindow = std::chrono::minutes(5),
                     Now now = [] { return std::chrono::steady_clock::now(); });

    /// One answered request: its route, HTTP status and time from read to written.
    void countRequest(std::string_view path, unsigned status, double seconds);
    /// An error answer, by its `error` code (bad_request, rate_limited, internal…).
    void countError(std::string_view code);
    void countOpsPushed(std::int64_t accepted, std::int64_t rejected);
    void countOpsPulled(std::int64_t ops);
    /// Record rows sent in snapshots (a first sync into an empty device).
    void countSnapshotRows(std::int64_t rows);
    /// A device finished a sync (its last pull page said there was no more).
    void countSync();
    void countWipeConfirmed();
    void countAttachmentChunk(bool upload, std::int64_t bytes);
    void deviceSeen(const std::string& deviceId);
    void connectionOpened();
    void connectionClosed();
    /// A connection closed at accept: `perAddress` when its address had its share, else the
    /// global cap.
    void countConnectionRefused(bool perAddress);
    /// A compressed request body inflated (only ever after the request was admitted: an
    /// authenticated device, or enrolment and wipe reports within their address limit).
    void countBodyDecoded(std::int64_t compressedBytes, std::int64_t decodedBytes);

    /// Everything, as Prometheus text.
    [[nodiscard]] std::string render();

    /// The route name of a request path (bounded label values).
    [[nodiscard]] static std::string_view routeOf(std::string_view path);

private:
    static constexpr std::array<double, 14> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                        0.25,  0.5,    1.0,   2.5,  5.0,   10.0, 30.0};
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };

    std::chrono::seconds m_window;
    Now m_now;
    std::mutex m_mutex;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> m_requests;
    std::map<std::string, Histogram> m_latency;
    std::map<std::string, std::uint64_t> m_errors;
    std::uint64_t m_opsPushed = 0;
    std::uint64_t m_opsRejected = 0;
    std::uint64_t m_opsPulled = 0;
    std::uint64_t m_snapshotRows = 0;
    std::uint64_t m_syncs = 0;
    std::uint64_t m_wipes = 0;
    std::uint64_t m_chunksUp = 0;
    std::uint64_t m_chunksDown = 0;
    std::uint64_t m_bytesUp = 0;
    std::uint64_t m_bytesDown = 0;
    std::int64_t m_connections = 0;
    std::uint64_t m_refusedPerAddress = 0;
    std::uint64_t m_refusedGlobal = 0;
    std::uint64_t m_bodiesDecoded = 0;
    std::uint64_t m_bodyBytesIn = 0;
    std::uint64_t m_bodyBytesOut = 0;
    std::map<std::string, std::chrono::steady_clock::time_point> m_devices;
};

}  // namespace vigil::sync
