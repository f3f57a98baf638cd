#include <catch2/catch.hpp>

#include "core/risk/PersonMatch.h"

using namespace vigil;

namespace {

Person person(const char* name, const char* dob, const char* postcode = "", const char* house = "")
{
    Person p;
    p.name = name;
    p.dateOfBirth = dob;
    p.address.postcode = postcode;
    p.address.houseNumberOrName = house;
    return p;
}

}  // namespace

TEST_CASE("Names are normalised for case, spaces, hyphens, apostrophes and accents", "[risk][person]")
{
    CHECK(normaliseName("Mary-Ann O'Neil") == "mary ann oneil");
    CHECK(normaliseName("  mary   ann  ONEIL ") == "mary ann oneil");
    CHECK(normaliseName("Mary Ann O\u2019Neil") == "mary ann oneil");
    CHECK(normaliseName("Zo\u00eb Bront\u00eb") == "zoe bronte");
    CHECK(normaliseName("J\u00fcrgen Stra\u00dfe") == "jurgen strasse");
    CHECK(normaliseName("Ma\u0142gorzata Wi\u015bniewska") == "malgorzata wisniewska");
    CHECK(normaliseName("A. N. Other") == "a n other");
}

TEST_CASE("Mary-Ann O'Neil and mary ann oneil with the same date of birth are the same person", "[risk][person]")
{
    CHECK(matchPersons(person("Mary-Ann O'Neil", "1980-04-02"), person("mary ann oneil", "1980-04-02"))
          == MatchBasis::NameAndDateOfBirth);
}

TEST_CASE("The same name with a different date of birth is not a match, even at the same address", "[risk][person]")
{
    CHECK(matchPersons(person("Mary Smith", "1980-04-02", "E8 1AB", "14"), person("Mary Smith", "1981-04-02", "E8 1AB", "14"))
          == MatchBasis::None);
}

TEST_CASE("A one-letter difference in the name is never merged", "[risk][person]")
{
    CHECK(matchPersons(person("Jane Smith", "1980-04-02"), person("Jane Smyth", "1980-04-02")) == MatchBasis::None);
    CHECK(matchPersons(person("Jane Smith", "1980-04-02"), person("Jane Smiths", "1980-04-02")) == MatchBasis::None);
    CHECK(matchPersons(person("Jane Smith", "1980-04-02"), person("Jayne Smith", "1980-04-02")) == MatchBasis::None);
}

TEST_CASE("Postcodes are compared without spaces and case", "[risk][person]")
{
    CHECK(normalisePostcode("e8 1ab") == "E81AB");
    CHECK(normalisePostcode(" E8  1AB ") == "E81AB");
    Address a{"", "14", "e8 1ab"};
    Address b{"", "14", "E81AB"};
    CHECK(sameAddress(a, b));
    b.houseNumberOrName = "16";
    CHECK_FALSE(sameAddress(a, b));
}

TEST_CASE("House names are compared normalised", "[risk][person]")
{
    CHECK(sameAddress(Address{"", "Rose-Cottage", "N1 9GU"}, Address{"", "rose cottage", "n19gu"}));
    CHECK_FALSE(sameAddress(Address{"", "Rose Cottage", "N1 9GU"}, Address{"", "Rose Cottage", "N1 9GX"}));
}

TEST_CASE("Without a date of birth on one side, name and address together match", "[risk][person]")
{
    CHECK(matchPersons(person("Mary Smith", "", "e8 1ab", "14"), person("MARY SMITH", "1980-04-02", "E81AB", "14"))
          == MatchBasis::NameAndAddress);
}

TEST_CASE("Without a date of birth, a name alone is not enough", "[risk][person]")
{
    CHECK(matchPersons(person("Mary Smith", ""), person("Mary Smith", "")) == MatchBasis::None);
    CHECK(matchPersons(person("Mary Smith", "", "E8 1AB", ""), person("Mary Smith", "", "E8 1AB", "")) == MatchBasis::None);
}

TEST_CASE("An empty name never matches", "[risk][person]")
{
    CHECK(matchPersons(person("", "1980-04-02"), person("", "1980-04-02")) == MatchBasis::None);
}
