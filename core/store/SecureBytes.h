#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace vigil {

/// Initialise libsodium once per process; safe to call from any thread, any number of times.
void ensureSodium();

/// A buffer for key material: allocated with sodium_malloc (guard pages, mlock'd where the
/// OS allows), zeroed and freed on destruction. Move-only so secrets are never copied by
/// accident.
class SecureBytes {
public:
    SecureBytes() = default;
    explicit SecureBytes(std::size_t size);
    SecureBytes(const unsigned char* data, std::size_t size);
    ~SecureBytes();
    SecureBytes(SecureBytes&& other) noexcept;
    SecureBytes& operator=(SecureBytes&& other) noexcept;
    SecureBytes(const SecureBytes&) = delete;
    SecureBytes& operator=(const SecureBytes&) = delete;

    /// A fresh buffer of cryptographically random bytes.
    [[nodiscard]] static SecureBytes random(std::size_t size);
    /// Explicit deep copy (the only way to duplicate a secret).
    [[nodiscard]] SecureBytes clone() const;

    [[nodiscard]] unsigned char* data() noexcept { return m_data; }
    [[nodiscard]] const unsigned char* data() const noexcept { return m_data; }
    [[nodiscard]] std::size_t size() const noexcept { return m_size; }
    [[nodiscard]] bool empty() const noexcept { return m_size == 0; }
    [[nodiscard]] std::span<const unsigned char> span() const noexcept { return {m_data, m_size}; }
    [[nodiscard]] std::string_view view() const noexcept
    {
        return {reinterpret_cast<const char*>(m_data), m_size};
    }

    /// Zero and release now, before the destructor would.
    void wipe() noexcept;

private:
    unsigned char* m_data = nullptr;
    std::size_t m_size = 0;
};

/// Constant-time comparison of two byte ranges of equal length.
[[nodiscard]] bool constantTimeEqual(std::span<const unsigned char> a, std::span<const unsigned char> b) noexcept;

/// Lower-case hex of bytes (not for secrets: the result is an ordinary string).
[[nodiscard]] std::string toHex(std::span<const unsigned char> bytes);
/// Parse hex into bytes; returns false when the text is not hex of the expected length.
[[nodiscard]] bool fromHex(std::string_view hex, std::span<unsigned char> out);

}  // namespace vigil
