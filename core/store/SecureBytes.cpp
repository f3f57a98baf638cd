#include "core/store/SecureBytes.h"

#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

#include <sodium.h>

namespace vigil {

void ensureSodium()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0)
            throw std::runtime_error("libsodium failed to initialise");  // cannot continue safely
    });
}

SecureBytes::SecureBytes(std::size_t size)
{
    ensureSodium();
    if (size == 0)
        return;
    m_data = static_cast<unsigned char*>(sodium_malloc(size));
    if (m_data == nullptr)
        throw std::bad_alloc();
    m_size = size;
    sodium_memzero(m_data, m_size);
}

SecureBytes::SecureBytes(const unsigned char* data, std::size_t size) : SecureBytes(size)
{
    if (size != 0)
        std::memcpy(m_data, data, size);
}

SecureBytes::~SecureBytes() { wipe(); }

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{
}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept
{
    if (this != &other) {
        wipe();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

SecureBytes SecureBytes::random(std::size_t size)
{
    SecureBytes b(size);
    if (size != 0)
        randombytes_buf(b.m_data, size);
    return b;
}

SecureBytes SecureBytes::clone() const { return SecureBytes(m_data, m_size); }

void SecureBytes::wipe() noexcept
{
    if (m_data != nullptr) {
        sodium_memzero(m_data, m_size);  // sodium_free zeroes too; be explicit about intent
        sodium_free(m_data);
    }
    m_data = nullptr;
    m_size = 0;
}

bool constantTimeEqual(std::span<const unsigned char> a, std::span<const unsigned char> b) noexcept
{
    return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

std::string toHex(std::span<const unsigned char> bytes)
{
    ensureSodium();
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

bool fromHex(std::string_view hex, std::span<unsigned char> out)
{
    ensureSodium();
    if (hex.size() != out.size() * 2)
        return false;
    std::size_t written = 0;
    return sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, nullptr) == 0
        && written == out.size();
}

}  // namespace vigil
