#include "platform/ProcessHardening.h"

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

namespace vigil {

bool hardenProcess() noexcept
{
#if defined(__linux__)
    rlimit none{0, 0};
    const bool noCore = ::setrlimit(RLIMIT_CORE, &none) == 0;
    const bool notDumpable = ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
    return noCore && notDumpable;
#else
    return true;
#endif
}

}  // namespace vigil
