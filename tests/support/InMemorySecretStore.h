#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/store/SecretStore.h"

namespace vigil::test {

/// A SecretStore in process memory, FOR TESTS ONLY: it forgets everything when the process
/// ends and never touches the OS key store. `setAvailable(false)` makes every call fail as
/// a missing key store would.
class InMemorySecretStore final : public SecretStore {
public:
    [[nodiscard]] Result<std::optional<SecureBytes>> read(const std::string& name) override;
    [[nodiscard]] Status write(const std::string& name, std::span<const unsigned char> secret) override;
    [[nodiscard]] Status remove(const std::string& name) override;

    void setAvailable(bool available) { m_available = available; }
    [[nodiscard]] bool contains(const std::string& name) const { return m_entries.count(name) != 0; }
    [[nodiscard]] std::size_t size() const { return m_entries.size(); }

private:
    std::map<std::string, std::vector<unsigned char>> m_entries;
    bool m_available = true;
};

}  // namespace vigil::test
