#include "tests/support/FileScan.h"

#include <fstream>
#include <sstream>

#include <sys/stat.h>

namespace vigil::test {

std::string readFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

std::vector<ScanHit> scanForPlaintext(const std::filesystem::path& dir, const std::vector<std::string>& needles)
{
    std::vector<ScanHit> hits;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file())
            continue;
        const std::string content = readFile(entry.path());
        for (const auto& needle : needles) {
            if (content.find(needle) != std::string::npos)
                hits.push_back({entry.path(), needle});
        }
    }
    return hits;
}

unsigned permissions(const std::filesystem::path& file)
{
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        return 0;
    return st.st_mode & 0777U;
}

}  // namespace vigil::test
