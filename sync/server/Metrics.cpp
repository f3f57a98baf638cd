#include "sync/server/Metrics.h"

#include <cstdio>

#include "sync/protocol/Protocol.h"

namespace vigil::sync {

namespace {

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);  // "0.005", not 0.0050000000000000001
    return buf;
}

void header(std::string& out, const char* name, const char* type, const char* help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(std::string& out, const char* name, const std::string& labels, const std::string& value)
{
    out += name;
    if (!labels.empty())
        out += "{" + labels + "}";
    out += ' ';
    out += value;
    out += '\n';
}

}  // namespace

Metrics::Metrics(std::chrono::seconds activeWindow, Now now) : m_window(activeWindow), m_now(std::move(now)) {}

std::string_view Metrics::routeOf(std::string_view path)
{
    if (const auto q = path.find('?'); q != std::string_view::npos)
        path = path.substr(0, q);
    for (std::string_view known : {"/healthz", "/v1/enrol", "/v1/device", "/v1/directory", "/v1/push", "/v1/pull", "/v1/snapshot", "/v1/wipe-report"}) {
        if (path == known)
            return known;
    }
    constexpr std::string_view kAttachments = "/v1/attachments/";
    if (path.substr(0, kAttachments.size()) == kAttachments)
        return path.find("/chunks/") != std::string_view::npos ? "/v1/attachments/{id}/chunks/{n}" : "/v1/attachments/{id}";
    return "other";
}

void Metrics::countRequest(std::string_view path, unsigned status, double seconds)
{
    const std::string route(routeOf(path));
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, status}];
    Histogram& h = m_latency[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i])
            ++h.buckets[i];
    }
    ++h.count;
    h.sum += seconds;
}

void Metrics::countError(std::string_view code)
{
    // Only the protocol's own codes become label values (a bounded set).
    std::lock_guard lock(m_mutex);
    ++m_errors[code.size() <= 40 ? std::string(code) : std::string("other")];
}

void Metrics::countOpsPushed(std::int64_t accepted, std::int64_t rejected)
{
    std::lock_guard lock(m_mutex);
    m_opsPushed += static_cast<std::uint64_t>(std::max<std::int64_t>(accepted, 0));
    m_opsRejected += static_cast<std::uint64_t>(std::max<std::int64_t>(rejected, 0));
}

void Metrics::countOpsPulled(std::int64_t ops)
{
    std::lock_guard lock(m_mutex);
    m_opsPulled += static_cast<std::uint64_t>(std::max<std::int64_t>(ops, 0));
}

void Metrics::countSnapshotRows(std::int64_t rows)
{
    std::lock_guard lock(m_mutex);
    m_snapshotRows += static_cast<std::uint64_t>(std::max<std::int64_t>(rows, 0));
}

void Metrics::countSync()
{
    std::lock_guard lock(m_mutex);
    ++m_syncs;
}

void Metrics::countWipeConfirmed()
{
    std::lock_guard lock(m_mutex);
    ++m_wipes;
}

void Metrics::countAttachmentChunk(bool upload, std::int64_t bytes)
{
    std::lock_guard lock(m_mutex);
    (upload ? m_chunksUp : m_chunksDown) += 1;
    (upload ? m_bytesUp : m_bytesDown) += static_cast<std::uint64_t>(std::max<std::int64_t>(bytes, 0));
}

void Metrics::deviceSeen(const std::string& deviceId)
{
    const auto now = m_now();
    std::lock_guard lock(m_mutex);
    m_devices[deviceId] = now;
    if (m_devices.size() > 100000) {
        for (auto it = m_devices.begin(); it != m_devices.end();)
            it = now - it->second > m_window ? m_devices.erase(it) : std::next(it);
    }
}

void Metrics::connectionOpened()
{
    std::lock_guard lock(m_mutex);
    ++m_connections;
}

void Metrics::connectionClosed()
{
    std::lock_guard lock(m_mutex);
    --m_connections;
}

void Metrics::countConnectionRefused(bool perAddress)
{
    std::lock_guard lock(m_mutex);
    ++(perAddress ? m_refusedPerAddress : m_refusedGlobal);
}

void Metrics::countBodyDecoded(std::int64_t compressedBytes, std::int64_t decodedBytes)
{
    std::lock_guard lock(m_mutex);
    ++m_bodiesDecoded;
    m_bodyBytesIn += static_cast<std::uint64_t>(std::max<std::int64_t>(compressedBytes, 0));
    m_bodyBytesOut += static_cast<std::uint64_t>(std::max<std::int64_t>(decodedBytes, 0));
}

std::string Metrics::render()
{
    const auto now = m_now();
    std::lock_guard lock(m_mutex);
    std::string out;
    header(out, "vigil_build_info", "gauge", "Protocol version this server speaks.");
    sample(out, "vigil_build_info", "protocol=\"" + protocolVersionText() + "\"", "1");

    header(out, "vigil_http_requests_total", "counter", "Requests answered, by route and HTTP status.");
    for (const auto& [key, n] : m_requests)
        sample(out, "vigil_http_requests_total", "endpoint=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"",
               std::to_string(n));

    header(out, "vigil_http_request_duration_seconds", "histogram",
           "Time from a request being read to its answer being written, by route.");
    for (const auto& [route, h] : m_latency) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i)
            sample(out, "vigil_http_request_duration_seconds_bucket",
                   "endpoint=\"" + route + "\",le=\"" + number(kBuckets[i]) + "\"", std::to_string(h.buckets[i]));
        sample(out, "vigil_http_request_duration_seconds_bucket", "endpoint=\"" + route + "\",le=\"+Inf\"",
               std::to_string(h.count));
        sample(out, "vigil_http_request_duration_seconds_sum", "endpoint=\"" + route + "\"", number(h.sum));
        sample(out, "vigil_http_request_duration_seconds_count", "endpoint=\"" + route + "\"", std::to_string(h.count));
    }

    header(out, "vigil_errors_total", "counter", "Error answers, by error code (docs/sync-protocol.md).");
    for (const auto& [code, n] : m_errors)
        sample(out, "vigil_errors_total", "code=\"" + code + "\"", std::to_string(n));

    header(out, "vigil_ops_pushed_total", "counter", "Changes acknowledged in pushes (refused ones not counted).");
    sample(out, "vigil_ops_pushed_total", "", std::to_string(m_opsPushed));
    header(out, "vigil_ops_rejected_total", "counter", "Changes refused in pushes (access or rules).");
    sample(out, "vigil_ops_rejected_total", "", std::to_string(m_opsRejected));
    header(out, "vigil_ops_pulled_total", "counter", "Changes sent to devices in pulls.");
    sample(out, "vigil_ops_pulled_total", "", std::to_string(m_opsPulled));
    header(out, "vigil_snapshot_rows_total", "counter", "Record rows sent in snapshots (first syncs of empty devices).");
    sample(out, "vigil_snapshot_rows_total", "", std::to_string(m_snapshotRows));
    header(out, "vigil_syncs_total", "counter", "Syncs completed (a pull whose last page said there was no more).");
    sample(out, "vigil_syncs_total", "", std::to_string(m_syncs));
    header(out, "vigil_wipes_confirmed_total", "counter", "Devices that reported they wiped themselves.");
    sample(out, "vigil_wipes_confirmed_total", "", std::to_string(m_wipes));
    header(out, "vigil_attachment_chunks_total", "counter", "Photo chunks received (up) and sent (down).");
    sample(out, "vigil_attachment_chunks_total", "direction=\"up\"", std::to_string(m_chunksUp));
    sample(out, "vigil_attachment_chunks_total", "direction=\"down\"", std::to_string(m_chunksDown));
    header(out, "vigil_attachment_bytes_total", "counter", "Photo bytes received (up) and sent (down).");
    sample(out, "vigil_attachment_bytes_total", "direction=\"up\"", std::to_string(m_bytesUp));
    sample(out, "vigil_attachment_bytes_total", "direction=\"down\"", std::to_string(m_bytesDown));

    header(out, "vigil_connections_open", "gauge", "TLS connections open now.");
    sample(out, "vigil_connections_open", "", std::to_string(m_connections));
    header(out, "vigil_connections_refused_total", "counter",
           "Connections closed at accept, before TLS: the address had its share, or the server was full.");
    sample(out, "vigil_connections_refused_total", "reason=\"per_address\"", std::to_string(m_refusedPerAddress));
    sample(out, "vigil_connections_refused_total", "reason=\"max_connections\"", std::to_string(m_refusedGlobal));
    header(out, "vigil_request_bodies_decoded_total", "counter",
           "Compressed request bodies inflated (only after authentication, off the store thread).");
    sample(out, "vigil_request_bodies_decoded_total", "", std::to_string(m_bodiesDecoded));
    header(out, "vigil_request_body_bytes_decoded_total", "counter",
           "Bytes of compressed request bodies inflated: as sent (in) and decoded (out).");
    sample(out, "vigil_request_body_bytes_decoded_total", "side=\"in\"", std::to_string(m_bodyBytesIn));
    sample(out, "vigil_request_body_bytes_decoded_total", "side=\"out\"", std::to_string(m_bodyBytesOut));
    std::int64_t active = 0;
    for (auto it = m_devices.begin(); it != m_devices.end();) {
        if (now - it->second > m_window) {
            it = m_devices.erase(it);
        } else {
            ++active;
            ++it;
        }
    }
    header(out, "vigil_devices_connected", "gauge",
           "Devices with an authenticated request in the last few minutes (the window is in the label).");
    sample(out, "vigil_devices_connected", "window_seconds=\"" + std::to_string(m_window.count()) + "\"",
           std::to_string(active));
    return out;
}

}  // namespace vigil::sync
