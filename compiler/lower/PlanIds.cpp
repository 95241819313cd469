// The plan's tables, bound columns, run parameters, strings and slots: each made once, the
// first time the lowering needs it.
#include "compiler/check/FrameworkReads.h"
#include "compiler/lower/Declarations.h"
#include "compiler/lower/Lower.h"
#include "compiler/lower/Lowerer.h"

#include <fmt/format.h>

namespace fulcrum::lower {

uint32_t Lowerer::tableIndex(const DataDecl* decl) {
  for (size_t i = 0; i < tableDecls_.size(); ++i)
    if (tableDecls_[i] == decl)
      return static_cast<uint32_t>(i);
  tableDecls_.push_back(decl);
  plan_.tables.push_back(planTable(*decl, compilation_.sources, compilation_.symbols.currency()));
  const auto index = static_cast<uint32_t>(plan_.tables.size() - 1);
  if (decl->resultsOf) { // another framework's results: filled by each run
    const uint32_t feed = feedIndex(*decl->resultsOf, decl->range);
    plan_.tables[index].feed = static_cast<int32_t>(feed);
    plan_.feeds[feed].table = static_cast<int32_t>(index);
  }
  return index;
}

// A framework this one reads, lowered once (its diagnostics are its own: `check` lowers it too).
uint32_t Lowerer::feedIndex(const FrameworkDecl& framework, SourceRange at) {
  for (size_t i = 0; i < feedDecls_.size(); ++i)
    if (feedDecls_[i] == &framework)
      return static_cast<uint32_t>(i);
  DiagnosticSink scratch;
  std::unique_ptr<Plan> plan = lowerFramework(compilation_, framework, scratch);
  if (!plan)
    unsupported(at,
                fmt::format("reading framework `{}`, which does not run,", framework.name.name));
  FeedSpec feed;
  feed.plan = std::move(plan);
  switch (frameworkRelation(*framework_.subject, *framework.subject, compilation_.symbols)) {
  case FrameworkRelation::Same:
    feed.relation = FeedRelation::Same;
    break;
  case FrameworkRelation::Parent:
    feed.relation = FeedRelation::Parent;
    break;
  default:
    feed.relation = FeedRelation::Members;
  }
  feedDecls_.push_back(&framework);
  plan_.feeds.push_back(std::move(feed));
  return static_cast<uint32_t>(plan_.feeds.size() - 1);
}

// The output column of feed `feed` named `name`.
uint32_t Lowerer::feedOutput(uint32_t feed, const std::string& name, SourceRange at) {
  const std::vector<OutputColumn>& outputs = plan_.feeds[feed].plan->outputs;
  for (size_t i = 0; i < outputs.size(); ++i)
    if (outputs[i].name == name)
      return static_cast<uint32_t>(i);
  unsupported(at, fmt::format("reading `{}` of framework `{}`", name,
                              plan_.feeds[feed].plan->frameworkName));
}

static Storage storageOf(const FieldDecl& field) {
  switch (field.type.kind) {
  case TypeKind::Bool:
    return Storage::U8;
  case TypeKind::Text:
  case TypeKind::Date:
  case TypeKind::Entity:
    return Storage::I32;
  default:
    return Storage::F64; // numbers, money, percents, counts, period codes
  }
}

uint32_t Lowerer::columnIndex(const DataDecl* decl, int field) {
  const uint32_t table = tableIndex(decl);
  auto [it, inserted] = columns_.emplace(std::make_pair(table, field), 0);
  if (inserted) {
    const FieldDecl& f = decl->fields[field];
    // Another framework's results hold its slots' values: doubles, whatever the type.
    plan_.columns.push_back(BoundColumnSpec{
        table, static_cast<uint32_t>(field), decl->resultsOf ? Storage::F64 : storageOf(f),
        decl->name.name + "." + f.name.name, false, !f.type.optional});
    it->second = static_cast<uint32_t>(plan_.columns.size() - 1);
    if (decl->resultsOf) {
      const auto feed = static_cast<uint32_t>(plan_.tables[table].feed);
      plan_.feeds[feed].reads.push_back(
          FeedSpec::Read{feedOutput(feed, f.name.name, decl->range), it->second});
    }
  }
  return it->second;
}

uint32_t Lowerer::runParam(RunParamSpec spec) {
  auto [it, inserted] = runParams_.emplace(spec.name, 0);
  if (inserted) {
    plan_.runParams.push_back(std::move(spec));
    it->second = static_cast<uint32_t>(plan_.runParams.size() - 1);
  }
  return it->second;
}

uint32_t Lowerer::stringCode(const std::string& text) {
  auto [it, inserted] = strings_.emplace(text, 0);
  if (inserted) {
    plan_.strings.push_back(text);
    it->second = static_cast<uint32_t>(plan_.strings.size() - 1);
  }
  return it->second;
}

uint32_t Lowerer::slotFor(const void* key) {
  auto [it, inserted] = slots_.emplace(key, plan_.slotCount);
  if (inserted)
    ++plan_.slotCount;
  return it->second;
}

RunParamSpec periodParam(RunParamKind kind, const char* name) {
  RunParamSpec spec;
  spec.kind = kind;
  spec.name = name;
  return spec;
}

// A leaf reading run parameter `kind` (period bounds, the as-of day), made once.
uint32_t Lowerer::periodLeaf(NodeBuilder& nodes, RunParamKind kind, const char* name) {
  return nodes.leaf(POp::RunParam, runParam(periodParam(kind, name)));
}

} // namespace fulcrum::lower
