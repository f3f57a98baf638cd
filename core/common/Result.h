#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vigil {

/// What kind of failure an Error is. Callers branch on the code; users read the message.
enum class ErrorCode {
    InvalidArgument,     ///< the caller passed something the rules refuse (e.g. a weak PIN)
    NotFound,            ///< a file or record that should exist does not
    AlreadyExists,       ///< creating something that is already there
    WrongPin,            ///< the PIN (or key) did not unlock the store
    LockedOut,           ///< too many wrong PINs: unlocking refused for a while
    Wiped,               ///< the store was destroyed (wipe threshold or remote wipe)
    Corrupt,             ///< the database is damaged or has been tampered with
    DiskFull,            ///< the write did not fit on the device
    Io,                  ///< the operating system refused a read or write
    SchemaTooNew,        ///< the store was written by a newer Vigil
    KeyStoreUnavailable, ///< no OS key store to hold the device secret
    Busy,                ///< another process holds the store
    Validation,          ///< a rule refused the data (see Error::field)
    IllegalTransition,   ///< a lifecycle change the rules do not allow
    MalformedModel,      ///< a risk model or configuration file is not valid
    Network,             ///< the server could not be reached (offline, timeout, connection cut)
    Unauthorised,        ///< the server did not accept this device's credential
    Revoked,             ///< this device was revoked by an administrator
    UpdateRequired,      ///< the server speaks another major protocol version
    ServerKeyMismatch,   ///< the server's TLS key is not the one pinned at enrolment
    Rejected,            ///< the server refused a change (rules or access); kept on the device
    Internal,            ///< a bug in Vigil: the message says what to report
};

/// A failure as a value. `message` is written for the person using the app: it says what
/// went wrong and what to do. `field` names the field by the field-path scheme
/// (e.g. `victims[1].dash.q14`) when the error concerns one field, else it is empty.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    std::string field;

    friend bool operator==(const Error&, const Error&) = default;
};

/// A value or an Error. Core and sync return these instead of throwing across their APIs.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    [[nodiscard]] bool ok() const noexcept { return m_data.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    /// The value; only call when ok().
    [[nodiscard]] T& value() & { return std::get<0>(m_data); }
    [[nodiscard]] const T& value() const& { return std::get<0>(m_data); }
    /// By value, so `for (auto& x : f().value())` never iterates a destroyed temporary.
    [[nodiscard]] T value() && { return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    /// The error; only call when !ok().
    [[nodiscard]] const Error& error() const& { return std::get<1>(m_data); }
    [[nodiscard]] Error error() && { return std::get<1>(std::move(m_data)); }

private:
    std::variant<T, Error> m_data;
};

/// Success with no value, or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}  // NOLINT: implicit by design

    [[nodiscard]] bool ok() const noexcept { return m_ok; }
    explicit operator bool() const noexcept { return m_ok; }
    [[nodiscard]] const Error& error() const& { return m_error; }
    [[nodiscard]] Error error() && { return std::move(m_error); }

private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

/// Convenience: build an Error value.
[[nodiscard]] inline Error makeError(ErrorCode code, std::string message, std::string field = {})
{
    return Error{code, std::move(message), std::move(field)};
}

/// A short stable name for an error code, for logs and tests (never shown alone to users).
[[nodiscard]] std::string_view errorCodeName(ErrorCode code) noexcept;

}  // namespace vigil

/// Propagate an error from an expression returning a Result: `VIGIL_TRY(db.exec("..."));`
#define VIGIL_TRY(expr)                                   \
    do {                                                  \
        if (auto vigil_try_result_ = (expr); !vigil_try_result_.ok()) \
            return std::move(vigil_try_result_).error();  \
    } while (false)
