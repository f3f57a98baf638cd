#include "tests/support/InMemorySecretStore.h"

namespace vigil::test {

namespace {
Error unavailable()
{
    return makeError(ErrorCode::KeyStoreUnavailable, "Vigil cannot reach this device's secure key store (test store "
                                                     "switched off). Vigil will not start without it.");
}
}  // namespace

Result<std::optional<SecureBytes>> InMemorySecretStore::read(const std::string& name)
{
    if (!m_available)
        return unavailable();
    auto it = m_entries.find(name);
    if (it == m_entries.end())
        return std::optional<SecureBytes>();
    return std::optional<SecureBytes>(SecureBytes(it->second.data(), it->second.size()));
}

Status InMemorySecretStore::write(const std::string& name, std::span<const unsigned char> secret)
{
    if (!m_available)
        return unavailable();
    m_entries[name].assign(secret.begin(), secret.end());
    return {};
}

Status InMemorySecretStore::remove(const std::string& name)
{
    if (!m_available)
        return unavailable();
    m_entries.erase(name);
    return {};
}

}  // namespace vigil::test
