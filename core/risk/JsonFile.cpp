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

std::optional<std::string> nonEmptyText(const nlohmann::json& j, const char* name)
{
    const auto it = j.find(name);
    if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
        return std::nullopt;
    return it->get<std::string>();
}

Error malformedListFile(std::string_view label, std::string_view fileName, const std::string& path,
                        const std::string& problem)
{
    return makeError(ErrorCode::MalformedModel, std::string(label) + " " + std::string(fileName) + ", " + path + ": "
                                                    + problem + ". Reinstall Vigil or ask your administrator.");
}

Result<ListFileHeader> readListFileHeader(const nlohmann::json& j, std::string_view label, std::string_view fileName)
{
    if (!j.is_object())
        return malformedListFile(label, fileName, "the file", "must be a JSON object");
    if (j.value("format", 0) != 1)
        return malformedListFile(label, fileName, "format", "this version of Vigil reads format 1");
    auto id = nonEmptyText(j, "id");
    auto version = nonEmptyText(j, "version");
    if (!id || !version)
        return malformedListFile(label, fileName, "id/version", "both must be non-empty text");
    return ListFileHeader{std::move(*id), std::move(*version)};
}

}  // namespace vigil
