#include "core/common/Result.h"

namespace vigil {

std::string_view errorCodeName(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::AlreadyExists: return "already_exists";
    case ErrorCode::WrongPin: return "wrong_pin";
    case ErrorCode::LockedOut: return "locked_out";
    case ErrorCode::Wiped: return "wiped";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::DiskFull: return "disk_full";
    case ErrorCode::Io: return "io";
    case ErrorCode::SchemaTooNew: return "schema_too_new";
    case ErrorCode::KeyStoreUnavailable: return "key_store_unavailable";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::Validation: return "validation";
    case ErrorCode::IllegalTransition: return "illegal_transition";
    case ErrorCode::MalformedModel: return "malformed_model";
    case ErrorCode::Network: return "network";
    case ErrorCode::Unauthorised: return "unauthorised";
    case ErrorCode::Revoked: return "revoked";
    case ErrorCode::UpdateRequired: return "update_required";
    case ErrorCode::ServerKeyMismatch: return "server_key_mismatch";
    case ErrorCode::Rejected: return "rejected";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

}  // namespace vigil
