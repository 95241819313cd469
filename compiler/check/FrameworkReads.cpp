#include "compiler/check/FrameworkReads.h"

namespace fulcrum {

using namespace fulcrum::ast;

// The entity a group gathers (`rep` for `group team of rep by manager`), or null.
static const DataDecl* memberOf(const DataDecl& group, const Symbols& symbols) {
  return group.group ? symbols.findData(group.group->member.name) : nullptr;
}

FrameworkRelation frameworkRelation(const DataDecl& reader, const DataDecl& read,
                                    const Symbols& symbols) {
  if (&reader == &read)
    return FrameworkRelation::Same;
  if (read.isCompany || memberOf(read, symbols) == &reader)
    return FrameworkRelation::Parent;
  if (reader.isCompany || memberOf(reader, symbols) == &read)
    return FrameworkRelation::Members;
  return FrameworkRelation::None;
}

std::unique_ptr<DataDecl> resultsTable(const FrameworkDecl& framework,
                                       const std::map<const void*, Type>& types) {
  auto table = std::make_unique<DataDecl>();
  table->name = framework.name;
  table->range = framework.range;
  table->resultsOf = &framework;
  auto add = [&](const std::string& name, Type type) {
    FieldDecl field;
    field.name = Ident{name, framework.name.range};
    field.column = name;
    field.type = type.asOptional(true); // a subject's value may always be missing
    field.typeRef = TypeRef{Ident{std::string(typeName(field.type)), {}}, true, {}};
    table->fields.push_back(std::move(field));
  };
  auto typeOf = [&](const void* key) {
    auto it = types.find(key);
    return it == types.end() ? Type::error() : it->second;
  };
  for (const MemberPtr& member : framework.members)
    switch (member->kind) {
    case MemberKind::Metric:
    case MemberKind::Band:
    case MemberKind::Rank:
      add(member->name.name, typeOf(member.get()));
      break;
    case MemberKind::Score:
      add(member->name.name, Type::of(TypeKind::Number));
      for (const ScoreComponent& c : member->as<ScoreMember>().components)
        add(member->name.name + "." + c.name.name, Type::of(TypeKind::Number));
      break;
    case MemberKind::Objective: {
      const auto& objective = member->as<ObjectiveMember>();
      for (const KeyResult& kr : objective.keyResults) {
        add(kr.name.name + ".actual", typeOf(&kr));
        add(kr.name.name + ".target", typeOf(&kr));
        add(kr.name.name + ".progress", Type::of(TypeKind::Percent));
      }
      add(objective.name.name + ".score", Type::of(TypeKind::Percent));
      add(objective.name.name + ".grade", Type::of(TypeKind::Text));
      break;
    }
    default:
      break;
    }
  return table;
}

} // namespace fulcrum
