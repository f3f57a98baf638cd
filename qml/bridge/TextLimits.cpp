#include "TextLimits.h"

#include "core/records/OpLimits.h"

namespace vigil::app {

int TextLimits::inputChars() const noexcept
{
    return maxTextInputChars();
}

}  // namespace vigil::app
