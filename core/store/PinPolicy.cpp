#include "core/store/PinPolicy.h"

#include <algorithm>
#include <array>
#include <string>

namespace vigil {

namespace {

// Common PINs seen in published analyses of leaked PIN sets (patterns a shoulder-surfer or
// a perpetrator who knows the officer would try first). Repeats and runs are caught by rule.
constexpr std::array<std::string_view, 24> kDenyList = {
    "123123", "121212", "112233", "111222", "123321", "131313", "101010", "202020",
    "696969", "159753", "147258", "102030", "520520", "789456", "147852", "258369",
    "654123", "123654", "112211", "100200", "199001", "200000", "123456789", "1234567890",
};

bool isRun(std::string_view pin, int step)
{
    for (std::size_t i = 1; i < pin.size(); ++i) {
        if (pin[i] - pin[i - 1] != step)
            return false;
    }
    return true;
}

}  // namespace

Status checkNewPin(std::string_view pin)
{
    const std::string field = "pin";
    if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return makeError(ErrorCode::InvalidArgument, "A PIN may contain digits only. Choose 6 to 12 digits.", field);
    }
    if (pin.size() < kMinPinLength || pin.size() > kMaxPinLength) {
        return makeError(ErrorCode::InvalidArgument,
                         "A PIN must be 6 to 12 digits long; this one has " + std::to_string(pin.size()) + ".", field);
    }
    if (std::all_of(pin.begin(), pin.end(), [&](char c) { return c == pin.front(); })) {
        return makeError(ErrorCode::InvalidArgument,
                         "A PIN may not be one digit repeated (like 111111). Choose digits that are not all the same.",
                         field);
    }
    if (isRun(pin, 1) || isRun(pin, -1)) {
        return makeError(ErrorCode::InvalidArgument,
                         "A PIN may not be a run of digits counting up or down (like 123456 or 987654). "
                         "Choose digits in no simple order.",
                         field);
    }
    if (std::find(kDenyList.begin(), kDenyList.end(), pin) != kDenyList.end()) {
        return makeError(ErrorCode::InvalidArgument,
                         "This PIN is one of the most commonly used PINs, which are guessed first. Choose another.",
                         field);
    }
    return {};
}

}  // namespace vigil
