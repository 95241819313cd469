#include "cli/report/ReportShape.h"

#include "compiler/ast/Walk.h"

#include <algorithm>

namespace fulcrum::cli::report {

namespace {

bool isParam(const Compilation& compilation, const std::string& name) {
  return compilation.symbols.params.count(name) != 0;
}

const ast::FrameworkDecl* findFramework(const Compilation& compilation, const std::string& name) {
  const auto it = compilation.symbols.frameworks.find(name);
  return it == compilation.symbols.frameworks.end() ? nullptr : it->second;
}

// `metric >= 20`, `metric > $200k`: the metric's name and the number; nullopt for anything else.
std::optional<std::pair<std::string, double>> threshold(const ast::Expr& condition) {
  if (!condition.is<ast::BinaryExpr>())
    return std::nullopt;
  const auto& binary = condition.as<ast::BinaryExpr>();
  if (binary.op != ast::BinaryOp::Ge && binary.op != ast::BinaryOp::Gt &&
      binary.op != ast::BinaryOp::Le && binary.op != ast::BinaryOp::Lt)
    return std::nullopt;
  if (!binary.lhs->is<ast::NameRef>())
    return std::nullopt;
  const std::optional<double> value = ast::numericLiteral(*binary.rhs);
  if (!value)
    return std::nullopt;
  return std::make_pair(binary.lhs->as<ast::NameRef>().name, *value);
}

BandShape bandShape(const ast::BandMember& band, const std::vector<std::string>& metrics) {
  BandShape shape;
  shape.name = band.name.name;
  if (!band.value || !band.value->is<ast::CaseExpr>())
    return shape;
  const auto& cases = band.value->as<ast::CaseExpr>();
  auto addLabel = [&](const ast::Expr* value) {
    if (value && value->is<ast::StringLit>() && !value->as<ast::StringLit>().hasHoles()) {
      const std::string label = value->as<ast::StringLit>().plainText();
      if (std::find(shape.labels.begin(), shape.labels.end(), label) == shape.labels.end())
        shape.labels.push_back(label);
    }
  };
  std::string metric;
  bool oneMetric = true;
  for (const ast::CaseArm& arm : cases.arms) {
    addLabel(arm.value.get());
    if (arm.condition->is<ast::IsMissingExpr>())
      continue;
    const auto compared = threshold(*arm.condition);
    if (!compared || (!metric.empty() && compared->first != metric)) {
      oneMetric = false;
      continue;
    }
    metric = compared->first;
    shape.thresholds.push_back(compared->second);
  }
  addLabel(cases.elseValue.get());
  if (oneMetric && !metric.empty() &&
      std::find(metrics.begin(), metrics.end(), metric) != metrics.end()) {
    shape.metric = metric;
    std::sort(shape.thresholds.begin(), shape.thresholds.end());
    shape.thresholds.erase(std::unique(shape.thresholds.begin(), shape.thresholds.end()),
                           shape.thresholds.end());
  } else {
    shape.thresholds.clear();
  }
  return shape;
}

// The name of the function a metric's formula calls at its top, or empty.
std::string calledFunction(const ast::MetricMember& metric) {
  if (!metric.value || !metric.value->is<ast::CallExpr>())
    return "";
  const auto& call = metric.value->as<ast::CallExpr>();
  return call.callKind == ast::CallKind::Function ? call.callee.name : "";
}

// Whether `expr` calls the function `name` anywhere (`ceil(per_working_day(...))` does).
bool callsFunction(const ast::Expr& expr, const std::string& name) {
  if (expr.is<ast::CallExpr>()) {
    const auto& call = expr.as<ast::CallExpr>();
    if (call.callKind == ast::CallKind::Function && call.callee.name == name)
      return true;
  }
  bool found = false;
  ast::forEachChild(expr,
                    [&](const ast::Expr& child) { found = found || callsFunction(child, name); });
  return found;
}

// The metric a `*_needed` call starts from (its first argument) when that is a plain name.
std::string firstArgumentName(const ast::MetricMember& metric) {
  const auto& call = metric.value->as<ast::CallExpr>();
  if (call.args.empty() || !call.args.front() || !call.args.front()->is<ast::NameRef>())
    return "";
  return call.args.front()->as<ast::NameRef>().name;
}

bool endsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::vector<ObjectiveShape> objectivesOf(const ast::FrameworkDecl& framework) {
  std::vector<ObjectiveShape> objectives;
  for (const auto& member : framework.members)
    if (member->is<ast::ObjectiveMember>()) {
      const auto& objective = member->as<ast::ObjectiveMember>();
      ObjectiveShape shape{objective.name.name, objective.title, {}};
      for (const ast::KeyResult& kr : objective.keyResults)
        shape.keyResults.push_back({kr.name.name, kr.title, kr.lowerIsBetter});
      objectives.push_back(std::move(shape));
    }
  return objectives;
}

// Whether a formula of `framework` names the framework `other` (`team_okrs.won.target`).
bool reads(const ast::FrameworkDecl& framework, const std::string& other) {
  bool found = false;
  for (const auto& member : framework.members)
    for (const ast::Expr* expr : ast::memberExpressions(*member))
      if (expr)
        ast::walkPreorder(*expr, [&](const ast::Expr& e) {
          found = found || (e.is<ast::NameRef>() && e.as<ast::NameRef>().name == other);
        });
  return found;
}

// The cascade `framework` is a level of or reads: its levels top down, or nullopt.
std::optional<CascadeShape> cascadeShape(const Compilation& compilation,
                                         const ast::FrameworkDecl& reported) {
  std::vector<const ast::FrameworkDecl*> okrs; // frameworks with objectives, in source order
  for (const auto& module : compilation.modules)
    for (const auto& decl : module->decls)
      if (decl->is<ast::FrameworkDecl>() && !objectivesOf(decl->as<ast::FrameworkDecl>()).empty())
        okrs.push_back(&decl->as<ast::FrameworkDecl>());
  auto subjectOf = [](const ast::FrameworkDecl* f) { return f->subject; };
  for (const ast::FrameworkDecl* company : okrs) {
    if (!subjectOf(company) || !subjectOf(company)->isCompany)
      continue;
    for (const ast::FrameworkDecl* team : okrs) {
      const ast::DataDecl* teamSubject = subjectOf(team);
      if (!teamSubject || !teamSubject->group || teamSubject->group->by.name.empty() ||
          !reads(*team, company->name.name))
        continue;
      for (const ast::FrameworkDecl* rep : okrs) {
        const ast::DataDecl* repSubject = subjectOf(rep);
        if (!repSubject || repSubject->group || repSubject->isCompany ||
            repSubject->name.name != teamSubject->group->member.name ||
            !reads(*rep, team->name.name))
          continue;
        const std::vector<const ast::FrameworkDecl*> levels{company, team, rep};
        bool belongs = false;
        for (const ast::FrameworkDecl* level : levels)
          belongs = belongs || level == &reported || reads(reported, level->name.name);
        if (!belongs)
          continue;
        CascadeShape cascade;
        for (const ast::FrameworkDecl* level : levels)
          cascade.levels.push_back(
              {subjectOf(level)->name.name, level->name.name, objectivesOf(*level)});
        return cascade;
      }
    }
  }
  return std::nullopt;
}

// A `report { ... }` block's hints replace what the rules chose: the quadrant's axes (their
// lines from a band over each, points sized by `size` or else by the first rank) and the
// funnel's stages (the comparisons are still the `versus_team` metrics).
void applyReportBlock(const ast::ReportMember& report, const std::string& firstRank,
                      ReportShape& shape) {
  if (report.quadrant) {
    QuadrantShape quadrant;
    quadrant.x = report.quadrant->x.name;
    quadrant.y = report.quadrant->y.name;
    for (const BandShape& band : shape.bands) {
      if (quadrant.xBand.empty() && band.metric == quadrant.x) {
        quadrant.xBand = band.name;
        quadrant.xLines = band.thresholds;
      } else if (quadrant.yBand.empty() && band.metric == quadrant.y) {
        quadrant.yBand = band.name;
        quadrant.yLines = band.thresholds;
      }
    }
    quadrant.rank = report.quadrant->size ? report.quadrant->size->name : firstRank;
    shape.quadrant = std::move(quadrant);
  }
  if (report.funnel) {
    FunnelShape funnel;
    for (const ast::Ident& stage : report.funnel->stages)
      funnel.stages.push_back(stage.name);
    if (shape.funnel)
      funnel.comparisons = shape.funnel->comparisons;
    shape.funnel = std::move(funnel);
  }
}

} // namespace

ReportShape reportShape(const Compilation& compilation, const std::string& name) {
  ReportShape shape;
  shape.framework = name;
  const ast::FrameworkDecl* framework = findFramework(compilation, name);
  if (!framework)
    return shape;
  shape.title = framework->title;
  std::vector<std::string> metrics; // numeric members a band may compare: metrics and scores
  std::string firstRank;
  FunnelShape funnel;
  std::vector<std::string> perDay; // metrics that call per_working_day: the daily activities
  std::string funnelStart;         // the first *_needed call's first argument (quota)
  for (const auto& member : framework->members) {
    if (member->is<ast::MetricMember>()) {
      const auto& metric = member->as<ast::MetricMember>();
      metrics.push_back(metric.name.name);
      const std::string called = calledFunction(metric);
      if (endsWith(called, "_needed")) {
        if (funnel.stages.empty())
          funnelStart = firstArgumentName(metric);
        funnel.stages.push_back(metric.name.name);
      } else if (metric.value && callsFunction(*metric.value, "per_working_day"))
        perDay.push_back(metric.name.name);
      else if (called == "versus_team")
        funnel.comparisons.push_back(metric.name.name);
    } else if (member->is<ast::ScoreMember>()) {
      const auto& score = member->as<ast::ScoreMember>();
      metrics.push_back(score.name.name);
      ScoreShape scoreShape{score.name.name, score.outOf, {}};
      for (const ast::ScoreComponent& c : score.components)
        scoreShape.components.push_back({score.name.name + "." + c.name.name, c.weight});
      shape.scores.push_back(std::move(scoreShape));
    } else if (member->is<ast::BandMember>()) {
      shape.bands.push_back(bandShape(member->as<ast::BandMember>(), metrics));
    } else if (member->is<ast::ObjectiveMember>()) {
      const auto& objective = member->as<ast::ObjectiveMember>();
      ObjectiveShape objectiveShape{objective.name.name, objective.title, {}};
      for (const ast::KeyResult& kr : objective.keyResults)
        objectiveShape.keyResults.push_back({kr.name.name, kr.title, kr.lowerIsBetter});
      shape.objectives.push_back(std::move(objectiveShape));
    } else if (member->is<ast::RankMember>()) {
      if (firstRank.empty())
        firstRank = member->name.name;
    } else if (member->is<ast::AlertMember>()) {
      shape.hasAlerts = true;
    }
  }
  // The first band over a metric is x; the next one over another metric is y.
  for (size_t i = 0; i < shape.bands.size() && !shape.quadrant; ++i) {
    const BandShape& x = shape.bands[i];
    for (size_t j = i + 1; j < shape.bands.size() && !x.metric.empty(); ++j) {
      const BandShape& y = shape.bands[j];
      if (!y.metric.empty() && y.metric != x.metric) {
        shape.quadrant = QuadrantShape{x.metric, y.metric, x.thresholds, y.thresholds,
                                       x.name,   y.name,   firstRank};
        break;
      }
    }
  }
  // From quota (an output, or a param: its value in the run) back to the daily activities.
  if (funnel.stages.size() >= 2) {
    if (!funnelStart.empty() &&
        (std::find(metrics.begin(), metrics.end(), funnelStart) != metrics.end() ||
         isParam(compilation, funnelStart)))
      funnel.stages.insert(funnel.stages.begin(), funnelStart);
    funnel.stages.insert(funnel.stages.end(), perDay.begin(), perDay.end());
    shape.funnel = std::move(funnel);
  }
  for (const auto& member : framework->members)
    if (member->is<ast::ReportMember>())
      applyReportBlock(member->as<ast::ReportMember>(), firstRank, shape);
  shape.cascade = cascadeShape(compilation, *framework);
  return shape;
}

} // namespace fulcrum::cli::report
