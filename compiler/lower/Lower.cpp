// The lowering as a script: the subject's tables, each member in evaluation order (every
// unsupported one reported), the outputs in declaration order, the plan's own copies of the
// declarations it reads.
#include "compiler/lower/Lower.h"

#include "compiler/lower/Declarations.h"
#include "compiler/lower/Lowerer.h"

#include <fmt/format.h>
#include <set>

namespace fulcrum {
namespace lower {

// A param the report block's funnel starts from is a run param even when no formula reads it:
// the run gives its value (`--param` or its default) to the report, which draws it.
void Lowerer::planReportParams() {
  std::set<std::string> members;
  for (const MemberPtr& member : framework_.members)
    members.insert(member->name.name);
  for (const MemberPtr& member : framework_.members) {
    if (!member->is<ReportMember>() || !member->as<ReportMember>().funnel)
      continue;
    for (const Ident& stage : member->as<ReportMember>().funnel->stages) {
      const auto param = compilation_.symbols.params.find(stage.name);
      if (param != compilation_.symbols.params.end() && !members.count(stage.name))
        runParam(userParamSpec(*param->second));
    }
  }
}

std::unique_ptr<Plan> Lowerer::run() {
  plan_.frameworkName = framework_.name.name;
  try {
    if (framework_.subject == nullptr || !framework_.cadence)
      unsupported(framework_.name.range, "a framework without a subject and a cadence");
    plan_.cadence = *framework_.cadence;
    plan_.fiscalStart = compilation_.symbols.fiscalStart();
    plan_.currency = &compilation_.symbols.currency();
    tableIndex(framework_.subject); // tables[0]
    prepareGroupSubject();
    const int key = framework_.subject->keyField();
    columnIndex(framework_.subject, key); // the key column names each output row
    // Every member is planned, so that each unsupported one is reported in this run.
    bool unsupportedMember = false;
    for (const Member* member : framework_.evaluationOrder) {
      const size_t outputsBefore = plan_.outputs.size();
      try {
        planMember(*member);
      } catch (const Unsupported&) {
        unsupportedMember = true;
      }
      outputsOf_[member] = {outputsBefore, plan_.outputs.size()};
    }
    if (unsupportedMember)
      return nullptr;
    planReportParams();
    orderOutputs();
    orderByFirstRank();
    plan_.referencedEntities =
        referencedEntities(plan_.tables, compilation_.symbols, compilation_.sources);
    plan_.declaredData = declaredData(compilation_.symbols);
    plan_.scans.assign(std::make_move_iterator(scans_.begin()),
                       std::make_move_iterator(scans_.end()));
    plan_.laterStages.assign(std::make_move_iterator(stages_.begin()),
                             std::make_move_iterator(stages_.end()));
  } catch (const Unsupported&) {
    return nullptr;
  }
  return std::make_unique<Plan>(std::move(plan_));
}

} // namespace lower

std::unique_ptr<runtime::Plan> lowerFramework(const Compilation& compilation,
                                              const ast::FrameworkDecl& framework,
                                              DiagnosticSink& sink) {
  return lower::Lowerer(compilation, framework, sink).run();
}

std::unique_ptr<runtime::Plan> lowerFramework(const Compilation& compilation,
                                              const std::string& name, DiagnosticSink& sink,
                                              std::string& error) {
  const auto& frameworks = compilation.symbols.frameworks;
  if (auto it = frameworks.find(name); it != frameworks.end())
    return lowerFramework(compilation, *it->second, sink);
  std::string names;
  for (const auto& [known, decl] : frameworks)
    names += (names.empty() ? "" : ", ") + known;
  error = names.empty() ? fmt::format("there is no framework `{}` in the file", name)
                        : fmt::format("there is no framework `{}`; the file has: {}", name, names);
  return nullptr;
}

} // namespace fulcrum
