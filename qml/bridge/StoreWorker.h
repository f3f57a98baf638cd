#pragma once

#include <atomic>
#include <functional>
#include <utility>

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>

namespace vigil::app {

/// The thread that does the app's disk and network work: opening the store (Argon2id),
/// reading and writing records, enrolment. Work goes in as closures; results come back to
/// a receiver on its own thread (queued), never blocking the GUI thread.
class StoreWorker final {
public:
    StoreWorker();
    ~StoreWorker();
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    /// Run `work` on the worker thread.
    void post(std::function<void()> work);

    /// Run `work` on the worker thread, then `done(result)` on `receiver`'s thread (skipped
    /// if the receiver has gone meanwhile).
    template <typename Work, typename Done>
    void run(QObject* receiver, Work work, Done done)
    {
        QPointer<QObject> guard(receiver);
        post([guard, work = std::move(work), done = std::move(done)]() mutable {
            auto result = work();
            if (!guard)
                return;
            QMetaObject::invokeMethod(
                guard.data(),
                [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
                Qt::QueuedConnection);
        });
    }

    /// Finish everything posted so far and stop the thread. While waiting, the calling
    /// (GUI) thread keeps serving events, because worker code may be waiting on it for the
    /// key store. Jobs posted from then on are dropped: the thread is going.
    void shutdown();

    [[nodiscard]] bool isWorkerThread() const { return QThread::currentThread() == &m_thread; }

private:
    QThread m_thread;
    QObject* m_context = nullptr;  ///< lives on m_thread; closures are invoked on it
    std::atomic<bool> m_stopping{false};  ///< shutdown() has begun: post() drops new jobs
};

}  // namespace vigil::app
