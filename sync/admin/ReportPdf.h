#pragma once

#include <filesystem>
#include <string>

#include "core/common/Result.h"

namespace vigil::sync {

/// Write the board report's narrative (title line, then paragraphs separated by blank lines, as
/// boardNarrative writes it) as an A4 PDF: Qt Gui's QTextDocument printed with QPdfWriter, on
/// Qt's offscreen platform (no display needed on a server). `file` must not exist.
[[nodiscard]] Status writeReportPdf(const std::filesystem::path& file, const std::string& narrative);

}  // namespace vigil::sync
