#include "sync/server/StoreLock.h"

#include <cerrno>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace vigil::sync {

Result<StoreLock> StoreLock::acquire(const std::filesystem::path& database)
{
    const std::string file = database.string() + ".lock";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::Io, "Cannot open " + file + ": check the server folder's owner and permissions.");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK)
            return makeError(ErrorCode::Busy, "A vigil-server (or a repair) is using the store " + database.string()
                                                  + ": stop it first (systemctl stop vigil-server).");
        return makeError(ErrorCode::Io, "Cannot lock " + file + ".");
    }
    return StoreLock(fd);
}

StoreLock& StoreLock::operator=(StoreLock&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

StoreLock::~StoreLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

}  // namespace vigil::sync
