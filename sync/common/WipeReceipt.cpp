#include "sync/common/WipeReceipt.h"

#include <string_view>

#include <sodium.h>

namespace vigil::sync {

SecureBytes wipeReceiptFor(std::span<const unsigned char> deviceToken)
{
    ensureSodium();
    static constexpr std::string_view kLabel = "vigil wipe receipt v1";
    SecureBytes receipt(32);
    crypto_generichash(receipt.data(), receipt.size(), reinterpret_cast<const unsigned char*>(kLabel.data()),
                       kLabel.size(), deviceToken.data(), deviceToken.size());
    return receipt;
}

}  // namespace vigil::sync
