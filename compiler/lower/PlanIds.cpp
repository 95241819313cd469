// The plan's tables, bound columns, run parameters, strings and slots: each made once, the
// first time the lowering needs it.
#include "compiler/lower/Declarations.h"
#include "compiler/lower/Lowerer.h"

namespace fulcrum::lower {

uint32_t Lowerer::tableIndex(const DataDecl* decl) {
  for (size_t i = 0; i < tableDecls_.size(); ++i)
    if (tableDecls_[i] == decl)
      return static_cast<uint32_t>(i);
  tableDecls_.push_back(decl);
  plan_.tables.push_back(planTable(*decl, compilation_.sources));
  return static_cast<uint32_t>(plan_.tables.size() - 1);
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
    plan_.columns.push_back(BoundColumnSpec{table, static_cast<uint32_t>(field), storageOf(f),
                                            decl->name.name + "." + f.name.name, false,
                                            !f.type.optional});
    it->second = static_cast<uint32_t>(plan_.columns.size() - 1);
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
