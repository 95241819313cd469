// The checks of a `report { quadrant x A, y B, size R  funnel S1, S2, ... }` block (the words of
// it are checked by the AST builder): every name is one of the framework's members, each axis
// a number, `size` a rank, each funnel stage a number (a metric or score, or a param such as the
// quota), at least two of them. It has no effect on a run, but that a funnel's param is a run
// param even when no formula reads it (compiler/lower/Lower.cpp), so the report draws its value.
#include "compiler/check/ReportHints.h"

#include "compiler/check/MemberWord.h"

#include <fmt/format.h>

namespace fulcrum {

using namespace ast;

namespace {

class ReportHintChecker {
public:
  ReportHintChecker(const FrameworkScope& scope, const Symbols& symbols, DiagnosticSink& sink)
      : scope_(scope), symbols_(symbols), sink_(sink) {}

  // `name` as a number the picture draws per subject: a metric or score (or, with
  // `paramAllowed`, a numeric param); otherwise an error saying what it is.
  void number(const Ident& name, const char* what, bool paramAllowed) {
    const Member* member = find(name, paramAllowed);
    if (!member) {
      if (!paramAllowed || !symbols_.params.count(name.name))
        return;
      const Type& type = symbols_.params.at(name.name)->type;
      if (!type.isError() && !type.isNumeric())
        sink_.report(DiagKind::InvalidReportHint, name.range,
                     fmt::format("{} `{}` is a param of type `{}`, not a number", what, name.name,
                                 typeName(type)),
                     "a funnel's stages are numbers: the quota and what it takes to reach it");
      return;
    }
    const auto type = scope_.valueTypes.find(member);
    const bool numeric = (member->is<MetricMember>() || member->is<ScoreMember>()) &&
                         type != scope_.valueTypes.end() &&
                         (type->second.isError() || type->second.isNumeric());
    if (numeric)
      return;
    const std::string framework = scope_.framework->name.name;
    const std::string needed =
        paramAllowed ? fmt::format("a stage is a metric or score of framework `{}` that holds a "
                                   "number, or a numeric param (the quota)",
                                   framework)
                     : fmt::format("an axis is a metric or score of framework `{}` that holds a "
                                   "number",
                                   framework);
    if (member->is<MetricMember>() || member->is<ScoreMember>()) {
      sink_.report(DiagKind::InvalidReportHint, name.range,
                   fmt::format("{} `{}` is {} of type `{}`, not a number", what, name.name,
                               memberWithArticle(*member),
                               type == scope_.valueTypes.end() ? "?" : typeName(type->second)),
                   needed);
      return;
    }
    std::string hint = needed;
    if (member->is<RankMember>() && !paramAllowed)
      hint += fmt::format("; a rank sizes the points: `size {}`", name.name);
    else if (member->is<ObjectiveMember>())
      hint += fmt::format("; to draw the objective's score, give it a metric (`metric {}_score = "
                          "{}.score`) and name that",
                          name.name, name.name);
    sink_.report(DiagKind::InvalidReportHint, name.range,
                 fmt::format("{} `{}` is {}", what, name.name, memberWithArticle(*member)), hint);
  }

  void rank(const Ident& name) {
    const Member* member = find(name, false);
    if (member && !member->is<RankMember>())
      sink_.report(DiagKind::InvalidReportHint, name.range,
                   fmt::format("the quadrant's `size` is a rank (rank 1 the largest point); `{}` "
                               "is {}",
                               name.name, memberWithArticle(*member)),
                   "name a `rank` of the framework, or leave `size` out");
  }

private:
  // The member called `name`, or null (after an UnknownName error, unless it is a param and
  // params are allowed).
  const Member* find(const Ident& name, bool paramAllowed) {
    if (auto it = scope_.members.find(name.name); it != scope_.members.end())
      return it->second;
    if (paramAllowed && symbols_.params.count(name.name))
      return nullptr;
    for (const auto& [known, member] : scope_.members)
      if (member->is<ObjectiveMember>())
        for (const KeyResult& kr : member->as<ObjectiveMember>().keyResults)
          if (kr.name.name == name.name) {
            sink_.report(DiagKind::InvalidReportHint, name.range,
                         fmt::format("`{}` is a key result of objective `{}`, not a number the "
                                     "report can name",
                                     name.name, known),
                         fmt::format("its columns are `{0}.actual`, `{0}.target` and "
                                     "`{0}.progress`: give the one to draw a metric (`metric "
                                     "{0}_actual = {0}`) and name that",
                                     name.name));
            return nullptr;
          }
    std::vector<std::string> names;
    for (const auto& [known, member] : scope_.members)
      names.push_back(known);
    if (paramAllowed)
      for (const auto& [known, param] : symbols_.params)
        names.push_back(known);
    sink_.report(DiagKind::UnknownName, name.range,
                 fmt::format("framework `{}` has no {} `{}`{}", scope_.framework->name.name,
                             paramAllowed ? "member or param" : "member", name.name,
                             paramAllowed ? "" : " to draw"),
                 suggestName(name.name, names));
    return nullptr;
  }

  const FrameworkScope& scope_;
  const Symbols& symbols_;
  DiagnosticSink& sink_;
};

} // namespace

void checkReportHints(const ReportMember& report, const FrameworkScope& scope,
                      const Symbols& symbols, DiagnosticSink& sink) {
  ReportHintChecker checker(scope, symbols, sink);
  if (report.quadrant) {
    const ReportMember::Quadrant& quadrant = *report.quadrant;
    checker.number(quadrant.x, "the quadrant's x", false);
    checker.number(quadrant.y, "the quadrant's y", false);
    if (quadrant.x.name == quadrant.y.name)
      sink.report(DiagKind::InvalidReportHint, quadrant.y.range,
                  fmt::format("the quadrant's x and y are both `{}`", quadrant.x.name),
                  "a 2x2 sets two different numbers against each other");
    if (quadrant.size)
      checker.rank(*quadrant.size);
  }
  if (report.funnel) {
    const ReportMember::Funnel& funnel = *report.funnel;
    if (funnel.stages.size() < 2)
      sink.report(
          DiagKind::InvalidReportHint, funnel.range,
          fmt::format("a funnel of {} stage draws nothing to compare", funnel.stages.size()),
          "list at least two stages, from the quota back to the daily activity: "
          "`funnel quota, pipeline, dials`");
    for (const Ident& stage : funnel.stages)
      checker.number(stage, "funnel stage", true);
  }
}

} // namespace fulcrum
