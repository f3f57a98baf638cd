// The fault-injecting TCP proxy of the sync fault tests and benchmarks: the test code's one
// Asio translation unit (about half a minute to compile). Asio's snake_case stays at the call sites.
#include <utility>

// g++ 12 reports a false -Wmismatched-new-delete on every Asio 1.74 coroutine frame.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "tests/support/FaultProxy.h"

#include <array>
#include <atomic>
#include <cmath>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace vigil::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

enum class Fault { None, Refuse, Cut, Reset, Stall };

/// One connection's fate, drawn when it is accepted.
struct Plan {
    Fault fault = Fault::None;
    bool towardServer = true;
    std::uint64_t offset = 1;
    Clock::duration stallFor{};
    bool resumeAfterStall = false;
    bool delayed = false;
    std::chrono::milliseconds maxDelay{0};
    std::uint64_t delaySeed = 0;
};

struct Counters {
    std::atomic<std::uint64_t> connections{0}, upstreamFailures{0}, cut{0}, reset{0}, stalled{0}, delayed{0},
        refused{0}, bytesToServer{0}, bytesToDevice{0}, open{0};
};

}  // namespace

struct FaultProxy::Impl {
    /// Both sockets of one proxied connection. Used on the proxy thread only.
    struct Conn {
        Conn(tcp::socket d, asio::io_context& io, Plan p) : device(std::move(d)), server(io), plan(p), rng(p.delaySeed) {}
        tcp::socket device;
        tcp::socket server;
        Plan plan;
        std::mt19937_64 rng;
        bool dead = false;
        bool struck = false;
        int pumpsDone = 0;
        Clock::time_point stalledUntil{};
    };
    using ConnPtr = std::shared_ptr<Conn>;

    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
    tcp::acceptor acceptor{io};
    std::thread thread;

    mutable std::mutex mutex;  // options, upstream and the generator (set from test threads)
    FaultOptions options;
    std::uint16_t upstream = 0;
    std::mt19937_64 rng;

    Counters counters;
    std::set<ConnPtr> live;  // proxy thread only

    Plan draw();
    void kill(const ConnPtr& c, bool rst);
    void finishPump(const ConnPtr& c);
    asio::awaitable<void> acceptLoop();
    asio::awaitable<void> start(ConnPtr c, std::uint16_t port);
    asio::awaitable<void> pump(ConnPtr c, bool towardServer);
};

Plan FaultProxy::Impl::draw()
{
    std::lock_guard lock(mutex);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    // Always the same number of draws per connection, so one seed gives one sequence of plans.
    const double which = u(rng);
    const double direction = u(rng);
    const double offset = u(rng);
    const double stall = u(rng);
    const double resume = u(rng);
    const double delay = u(rng);
    const std::uint64_t delaySeed = rng();

    Plan p;
    double edge = options.refuse;
    if (which < edge) {
        p.fault = Fault::Refuse;
    } else if (which < (edge += options.cut)) {
        p.fault = Fault::Cut;
    } else if (which < (edge += options.reset)) {
        p.fault = Fault::Reset;
    } else if (which < (edge += options.stall)) {
        p.fault = Fault::Stall;
    }
    p.towardServer = direction < 0.5;
    const double maxOffset = static_cast<double>(std::max<std::uint64_t>(options.maxFaultOffset, 2));
    p.offset = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::exp(offset * std::log(maxOffset))));
    const auto span = std::max(options.maxStall - options.minStall, std::chrono::milliseconds(0));
    p.stallFor = options.minStall + std::chrono::milliseconds(static_cast<std::int64_t>(stall * static_cast<double>(span.count())));
    p.resumeAfterStall = resume < 0.5;
    p.delayed = delay < options.delay;
    p.maxDelay = options.maxDelay;
    p.delaySeed = delaySeed;
    return p;
}

void FaultProxy::Impl::kill(const ConnPtr& c, bool rst)
{
    if (c->dead)
        return;
    c->dead = true;
    for (tcp::socket* s : {&c->device, &c->server}) {
        error_code ec;
        if (s->is_open()) {
            if (rst)
                s->set_option(asio::socket_base::linger(true, 0), ec);  // close sends RST
            else
                s->shutdown(tcp::socket::shutdown_both, ec);
            s->close(ec);
        }
    }
    if (live.erase(c) > 0)
        --counters.open;
}

void FaultProxy::Impl::finishPump(const ConnPtr& c)
{
    if (++c->pumpsDone == 2)
        kill(c, false);
}

asio::awaitable<void> FaultProxy::Impl::acceptLoop()
{
    for (;;) {
        error_code ec;
        tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec)
            continue;
        ++counters.connections;
        // Pass each write on at once, as the app and the server do (TCP_NODELAY on their own
        // sockets): without it every answer waited ~40 ms for a delayed ACK in the proxy, so a
        // request looked ten times longer than the server's work and most kills timed "inside"
        // one came after the server had already answered.
        socket.set_option(tcp::no_delay(true), ec);
        auto c = std::make_shared<Conn>(std::move(socket), io, draw());
        std::uint16_t port = 0;
        {
            std::lock_guard lock(mutex);
            port = upstream;
        }
        live.insert(c);
        ++counters.open;
        if (c->plan.fault == Fault::Refuse) {
            ++counters.refused;
            kill(c, true);
            continue;
        }
        if (c->plan.delayed)
            ++counters.delayed;
        asio::co_spawn(io, start(c, port), asio::detached);
    }
}

asio::awaitable<void> FaultProxy::Impl::start(ConnPtr c, std::uint16_t port)
{
    error_code ec;
    co_await c->server.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port),
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec || c->dead) {
        ++counters.upstreamFailures;
        kill(c, false);
        co_return;
    }
    c->server.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(io, pump(c, true), asio::detached);
    asio::co_spawn(io, pump(c, false), asio::detached);
}

asio::awaitable<void> FaultProxy::Impl::pump(ConnPtr c, bool towardServer)
{
    tcp::socket& from = towardServer ? c->device : c->server;
    tcp::socket& to = towardServer ? c->server : c->device;
    auto& bytes = towardServer ? counters.bytesToServer : counters.bytesToDevice;
    std::array<char, 16 * 1024> buf{};
    std::uint64_t passed = 0;
    asio::steady_timer timer(io);
    error_code ec;

    const auto write = [&](std::size_t offset, std::size_t n) -> asio::awaitable<bool> {
        // A stall holds both directions.
        while (!c->dead && Clock::now() < c->stalledUntil) {
            timer.expires_at(c->stalledUntil);
            error_code tec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, tec));
        }
        if (c->plan.delayed && c->plan.maxDelay.count() > 0) {
            timer.expires_after(std::chrono::milliseconds(
                std::uniform_int_distribution<std::int64_t>(0, c->plan.maxDelay.count())(c->rng)));
            error_code tec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, tec));
        }
        if (c->dead)
            co_return false;
        if (n == 0)
            co_return true;
        error_code wec;
        co_await asio::async_write(to, asio::buffer(buf.data() + offset, n), asio::redirect_error(asio::use_awaitable, wec));
        if (wec)
            co_return false;
        passed += n;
        bytes += n;
        co_return true;
    };

    for (;;) {
        const std::size_t n = co_await from.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        if (ec || c->dead)
            break;
        const bool strikesHere = c->plan.fault != Fault::None && !c->struck && c->plan.towardServer == towardServer
            && passed + n >= c->plan.offset;
        if (!strikesHere) {
            if (!co_await write(0, n))
                break;
            continue;
        }
        c->struck = true;
        const std::size_t before = c->plan.offset - std::min(passed, c->plan.offset);
        if (!co_await write(0, std::min(before, n)))
            break;
        if (c->plan.fault == Fault::Cut) {
            ++counters.cut;
            kill(c, false);
            co_return;
        }
        if (c->plan.fault == Fault::Reset) {
            ++counters.reset;
            kill(c, true);
            co_return;
        }
        // Stall: nothing moves either way for a while; then the connection dies or carries on.
        ++counters.stalled;
        c->stalledUntil = Clock::now() + c->plan.stallFor;
        if (!c->plan.resumeAfterStall) {
            timer.expires_at(c->stalledUntil);
            error_code tec;
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, tec));
            kill(c, true);
            co_return;
        }
        if (!co_await write(std::min(before, n), n - std::min(before, n)))
            break;
    }
    if (!c->dead) {
        if (ec == asio::error::eof) {
            error_code sec;
            to.shutdown(tcp::socket::shutdown_send, sec);  // pass the half-close on
        } else {
            kill(c, false);
        }
    }
    finishPump(c);
}

FaultProxy::FaultProxy(std::uint16_t upstreamPort, std::uint64_t seed) : m_impl(std::make_shared<Impl>())
{
    Impl& s = *m_impl;
    s.upstream = upstreamPort;
    s.rng.seed(seed);
    const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);  // 127.0.0.1 only
    s.acceptor.open(endpoint.protocol());
    s.acceptor.set_option(asio::socket_base::reuse_address(true));
    s.acceptor.bind(endpoint);
    s.acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(s.io, s.acceptLoop(), asio::detached);
    s.thread = std::thread([&s] { s.io.run(); });
}

FaultProxy::~FaultProxy()
{
    Impl* s = m_impl.get();
    std::promise<void> closed;
    asio::post(s->io, [s, &closed] {
        error_code ec;
        s->acceptor.close(ec);
        const auto all = s->live;
        for (const auto& c : all)
            s->kill(c, true);
        closed.set_value();
    });
    closed.get_future().wait();
    s->guard.reset();
    s->io.stop();
    if (s->thread.joinable())
        s->thread.join();
}

std::uint16_t FaultProxy::port() const
{
    return m_impl->acceptor.local_endpoint().port();
}

void FaultProxy::setUpstream(std::uint16_t port)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->upstream = port;
}

void FaultProxy::setFaults(const FaultOptions& options)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->options = options;
}

void FaultProxy::resetAll()
{
    Impl* s = m_impl.get();
    std::promise<void> done;
    asio::post(s->io, [s, &done] {
        const auto all = s->live;
        for (const auto& c : all)
            s->kill(c, true);
        done.set_value();
    });
    done.get_future().wait();
}

ProxyCounters FaultProxy::counters() const
{
    const Counters& c = m_impl->counters;
    return {c.connections, c.upstreamFailures, c.cut, c.reset, c.stalled, c.delayed, c.refused, c.bytesToServer,
            c.bytesToDevice, c.open};
}

}  // namespace vigil::test
