// `fulcrum run --explain KEY`: every value behind one subject's outputs, term by term, read from
// the run's trace (runtime/exec/Trace.h) and the plan's probes (runtime/plan/Probes.h): each
// metric's formula and value, each aggregate's rows, each score component's contribution, each
// band arm and why the earlier ones did not match, each check's inputs.
#pragma once

#include "runtime/Program.h"

#include <string>
#include <vector>

namespace fulcrum::cli {

// What the explanation's first line names besides the plan and the subject.
struct ExplainContext {
  std::string period, asOf; // as requested (either may be empty)
  bool rowLines = false;    // `--explain-rows`: each aggregate lists its rows' lines
};

// Values as language.md's "How values are shown" says (`$1,234`, `12.5%`, `-`).
std::string explainText(const runtime::Plan& plan, const runtime::RunResult& result,
                        const ExplainContext& context);
// The same as JSON; values plain, as `run --format json` carries them.
std::string explainJson(const runtime::Plan& plan, const runtime::RunResult& result,
                        const ExplainContext& context);

// `no rep "Anne" in the data; did you mean "Ann" or "Anna"?`: for a key no subject has.
std::string unknownSubjectMessage(const runtime::Plan& plan, const runtime::ResultTable& table,
                                  const std::string& key);

} // namespace fulcrum::cli
