#pragma once

#include <filesystem>
#include <string>

#include "core/common/Result.h"

namespace vigil::sync {

/// One process at a time runs a server store: vigil-server for its whole life, and any tool
/// that rewrites what a running server holds open (`vigil-admin stamps --repair`). An advisory
/// lock (flock) on `<database>.lock`, released when the process ends however it ends.
class StoreLock {
public:
    [[nodiscard]] static Result<StoreLock> acquire(const std::filesystem::path& database);

    StoreLock(StoreLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    StoreLock& operator=(StoreLock&& other) noexcept;
    StoreLock(const StoreLock&) = delete;
    StoreLock& operator=(const StoreLock&) = delete;
    ~StoreLock();

private:
    explicit StoreLock(int fd) noexcept : m_fd(fd) {}
    int m_fd = -1;
};

}  // namespace vigil::sync
