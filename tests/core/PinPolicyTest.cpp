#include <catch2/catch.hpp>

#include "core/store/PinPolicy.h"

using vigil::checkNewPin;

TEST_CASE("A PIN of 6 to 12 digits in no simple pattern is accepted", "[pin]")
{
    for (const char* pin : {"480516", "739208", "104729", "20240917", "918273645501"})
        CHECK(checkNewPin(pin).ok());
}

TEST_CASE("Each refused PIN names the rule it broke", "[pin]")
{
    CHECK(checkNewPin("12345").error().message.find("6 to 12 digits long; this one has 5") != std::string::npos);
    CHECK(checkNewPin("1234567890123").error().message.find("6 to 12 digits") != std::string::npos);
    CHECK(checkNewPin("48a516").error().message.find("digits only") != std::string::npos);
    CHECK(checkNewPin("777777").error().message.find("one digit repeated") != std::string::npos);
    CHECK(checkNewPin("234567").error().message.find("counting up or down") != std::string::npos);
    CHECK(checkNewPin("876543").error().message.find("counting up or down") != std::string::npos);
    CHECK(checkNewPin("0123456789").error().message.find("counting up or down") != std::string::npos);
    CHECK(checkNewPin("121212").error().message.find("most commonly used") != std::string::npos);
    CHECK(checkNewPin("696969").error().message.find("most commonly used") != std::string::npos);
    CHECK(checkNewPin("123456").error().field == "pin");
}

TEST_CASE("A run that turns back or skips is not a run", "[pin]")
{
    CHECK(checkNewPin("123465").ok());
    CHECK(checkNewPin("135792").ok());
}
