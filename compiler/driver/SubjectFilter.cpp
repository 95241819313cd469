// `--only EXPR`: the condition's source, its metric, and its diagnostics said as a flag's.
#include "compiler/driver/SubjectFilter.h"

#include "compiler/parse/Parse.h"

#include <fmt/format.h>

namespace fulcrum {

namespace {

ast::FrameworkDecl* frameworkNamed(const std::vector<std::unique_ptr<ast::Module>>& modules,
                                   const std::string& name) {
  for (const auto& module : modules)
    for (const ast::DeclPtr& decl : module->decls)
      if (decl->is<ast::FrameworkDecl>() && decl->name.name == name)
        return &decl->as<ast::FrameworkDecl>();
  return nullptr;
}

// `name, manager, office`: the fields of the framework's subject, as the condition may name them.
std::string subjectFields(const ast::FrameworkDecl& framework) {
  std::string names;
  if (framework.subject)
    for (const ast::FieldDecl& field : framework.subject->fields)
      names += (names.empty() ? "`" : ", `") + field.name.name + "`";
  return names;
}

// A condition to show as an example, over the subject's own fields: its first text field that is
// not its key, else its key when that is text, else its first field compared with itself.
std::string exampleCondition(const ast::FrameworkDecl& framework) {
  if (!framework.subject || framework.subject->fields.empty())
    return "FIELD == \"...\"";
  const auto& fields = framework.subject->fields;
  const int key = framework.subject->keyField();
  for (size_t i = 0; i < fields.size(); ++i)
    if (static_cast<int>(i) != key && fields[i].type.kind == ast::TypeKind::Text)
      return fields[i].name.name + " == \"...\"";
  if (key >= 0 && fields[static_cast<size_t>(key)].type.kind == ast::TypeKind::Text)
    return fields[static_cast<size_t>(key)].name.name + " == \"...\"";
  return fields[0].name.name + " == " + fields[0].name.name;
}

} // namespace

bool addSubjectFilter(const SubjectFilter& filter, SourceManager& sources,
                      std::vector<std::unique_ptr<ast::Module>>& modules, DiagnosticSink& sink) {
  const FileId file = sources.add(kOnlySource, filter.text);
  ast::ExprPtr condition = parseExpression(sources, file, sink);
  if (!condition)
    return false;
  ast::FrameworkDecl* framework = frameworkNamed(modules, filter.framework);
  if (!framework)
    return true; // `--framework` names none: the run says so
  auto metric = std::make_unique<ast::MetricMember>();
  metric->range = condition->range;
  metric->name = ast::Ident{kOnlyOutput, condition->range};
  metric->declaredType =
      ast::TypeRef{ast::Ident{"bool", condition->range}, false, condition->range};
  metric->value = std::move(condition);
  framework->members.push_back(std::move(metric));
  return true;
}

void explainSubjectFilterDiagnostics(const SubjectFilter& filter, const SourceManager& sources,
                                     const std::vector<std::unique_ptr<ast::Module>>& modules,
                                     const std::vector<Diagnostic>& checked, DiagnosticSink& into) {
  const ast::FrameworkDecl* framework = frameworkNamed(modules, filter.framework);
  for (const Diagnostic& d : checked) {
    std::string message = d.message, hint = d.hint;
    const bool inFlag = sources.file(d.range.file).path == kOnlySource && framework;
    const std::string declared = fmt::format("metric `{}` is declared `bool`", kOnlyOutput);
    if (inFlag && d.message.rfind(declared, 0) == 0) {
      const size_t gives = d.message.rfind("gives ");
      message = fmt::format(
          "--only needs a condition, true or false for each subject, but `{}` "
          "gives {}",
          filter.text, gives == std::string::npos ? "no condition" : d.message.substr(gives + 6));
      hint = fmt::format("compare it, like `{}`", exampleCondition(*framework));
    } else if (inFlag && d.kind == DiagKind::UnknownName && framework->subject) {
      hint = fmt::format("{}the fields of `{}` are {}", hint.empty() ? "" : hint + "; ",
                         framework->subject->name.name, subjectFields(*framework));
    }
    into.report(d.kind, d.range, std::move(message), NameSuggestion{hint, d.replacement});
  }
}

} // namespace fulcrum
