#include "core/records/FieldPaths.h"

#include <string>
#include <utility>

namespace vigil {

using nlohmann::json;

namespace {

void flattenInto(const json& tree, const std::string& prefix, json& out)
{
    for (const auto& [key, value] : tree.items()) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        if (value.is_object())
            flattenInto(value, path, out);
        else
            out[path] = value;
    }
}

}  // namespace

json flattenFields(const json& tree)
{
    json out = json::object();
    flattenInto(tree, "", out);
    return out;
}

namespace {

/// The node at `path`'s parent in `tree` (made, as objects, on the way), and the last key.
std::pair<json*, std::string> leafOf(json& tree, const std::string& path)
{
    json* node = &tree;
    std::size_t start = 0;
    for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
        node = &(*node)[path.substr(start, dot - start)];
        if (!node->is_object())
            *node = json::object();
        start = dot + 1;
    }
    return {node, path.substr(start)};
}

}  // namespace

json unflattenFields(const json& flat)
{
    json tree = json::object();
    for (const auto& [path, value] : flat.items()) {
        auto [node, key] = leafOf(tree, path);
        (*node)[key] = value;
    }
    return tree;
}

json unflattenFields(json&& flat)
{
    json tree = json::object();
    for (auto& [path, value] : flat.items()) {
        auto [node, key] = leafOf(tree, path);
        (*node)[key] = std::move(value);
    }
    return tree;
}

}  // namespace vigil
