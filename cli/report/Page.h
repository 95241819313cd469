// `fulcrum report`'s page: one self-contained HTML file (inline CSS, script and SVG; nothing
// fetched), its pictures chosen by the framework's shape. docs/report.md fixes its DOM.
#pragma once

#include "cli/report/ReportInput.h"

#include <string>

namespace fulcrum::cli::report {

std::string reportPage(const ReportInput& input);

// The page's stylesheet (PageStyle.cpp) and script (PageScript.cpp), written inline.
extern const char* const kPageStyle;
extern const char* const kPageScript;

} // namespace fulcrum::cli::report
