#include "core/risk/JsonFile.h"

#include <array>
#include <fstream>

namespace vigil {

Result<std::string> readTextFile(const std::filesystem::path& path, std::string_view what)
{
    std::ifstream in{path, std::ios::binary};
    if (!in)
        return makeError(ErrorCode::NotFound, "The " + std::string{what} + " file " + path.string()
                                                  + " cannot be opened: check it exists, or reinstall Vigil's defaults.");
    // Read in blocks: the istreambuf_iterator form trips g++ 12's -Wnull-dereference.
    std::string text;
    std::array<char, 8192> block{};
    while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0)
        text.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (in.bad())
        return makeError(ErrorCode::Io, "The " + std::string{what} + " file " + path.string()
                                            + " could not be read to the end: check the disk, then try again.");
    return text;
}

Result<nlohmann::json> parseJsonText(std::string_view text, std::string_view fileName, std::string_view label)
{
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        return makeError(ErrorCode::MalformedModel,
                         std::string{label} + " " + std::string{fileName} + " is not valid JSON (stopped at byte "
                             + std::to_string(e.byte) + "). Correct the file, or reinstall Vigil's defaults.",
                         "/");
    }
}

}  // namespace vigil
