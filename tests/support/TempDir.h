#pragma once

#include <filesystem>
#include <string>

namespace vigil::test {

/// A fresh private directory (0700) under $TMPDIR, removed with everything in it on destruction.
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "vigil-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

}  // namespace vigil::test
