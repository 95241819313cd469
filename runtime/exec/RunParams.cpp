// Run parameters. Windows: `previous N units` are the N whole units just before the period's
// start; `previous period` is the period before; `last N units` end at the as-of day.
#include "runtime/exec/RunParams.h"

#include "support/Literals.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum::runtime {

using ast::TypeKind;

// The first day of the window of `count` units ending at `asOf` (inclusive).
static DayNumber lastWindowStart(DayNumber asOf, int count, PeriodUnit unit) {
  switch (unit) {
  case PeriodUnit::Day:
    return asOf - count + 1;
  case PeriodUnit::Week:
    return asOf - 7 * count + 1;
  case PeriodUnit::Month:
    return addMonths(asOf, -count) + 1;
  case PeriodUnit::Quarter:
    return addMonths(asOf, -3 * count) + 1;
  case PeriodUnit::Year:
    return addMonths(asOf, -12 * count) + 1;
  }
  return asOf;
}

// A `--param` value or a literal default, read as the param's type.
static bool parseParamValue(const ast::Type& type, const std::string& text, double& out,
                            std::map<std::string, int32_t>& codes,
                            std::vector<std::string>& strings) {
  switch (type.kind) {
  case TypeKind::Money: {
    auto money = parseMoneyLiteral(text[0] == '$' ? text : "$" + text);
    if (!money)
      return false;
    out = *money;
    return true;
  }
  case TypeKind::Percent: {
    auto percent = text.back() == '%' ? parsePercentLiteral(text) : parseNumberLiteral(text);
    if (!percent)
      return false;
    out = *percent;
    return true;
  }
  case TypeKind::Date: {
    auto day = parseDate(text);
    if (!day)
      return false;
    out = *day;
    return true;
  }
  case TypeKind::Period: {
    auto p = parsePeriod(text);
    if (!p)
      return false;
    out = periodCode(p->start(), p->end());
    return true;
  }
  case TypeKind::Duration: {
    // `14 days`, `2 weeks`, or without the space (`14days`), as days: the plan's unit.
    std::string spaced = text;
    const size_t unit = spaced.find_first_not_of("0123456789_.");
    if (unit != std::string::npos && unit > 0 && spaced[unit] != ' ')
      spaced.insert(unit, " ");
    auto duration = parseDurationLiteral(spaced);
    if (!duration || (duration->unit != PeriodUnit::Day && duration->unit != PeriodUnit::Week))
      return false;
    out = duration->count * (duration->unit == PeriodUnit::Week ? 7 : 1);
    return true;
  }
  case TypeKind::Bool:
    if (text != "true" && text != "false")
      return false;
    out = text == "true";
    return true;
  case TypeKind::Text: {
    auto [it, inserted] = codes.emplace(text, static_cast<int32_t>(strings.size()));
    if (inserted)
      strings.push_back(text);
    out = it->second;
    return true;
  }
  default: {
    const bool negative = !text.empty() && text[0] == '-';
    auto number = parseNumberLiteral(negative ? text.substr(1) : text);
    if (!number)
      return false;
    out = negative ? -*number : *number;
    return true;
  }
  }
}

// A param's default: a literal, possibly negated.
static bool defaultValue(const ast::ParamDecl& param, double& out,
                         std::map<std::string, int32_t>& codes, std::vector<std::string>& strings) {
  const ast::Expr* e = param.defaultValue.get();
  bool negate = false;
  if (e && e->is<ast::UnaryExpr>() && e->as<ast::UnaryExpr>().op == ast::UnaryOp::Negate) {
    negate = true;
    e = e->as<ast::UnaryExpr>().operand.get();
  }
  if (!e)
    return false;
  switch (e->kind) {
  case ast::ExprKind::Number:
    out = e->as<ast::NumberLit>().value;
    break;
  case ast::ExprKind::Money:
    out = e->as<ast::MoneyLit>().value;
    break;
  case ast::ExprKind::Percent:
    out = e->as<ast::PercentLit>().fraction;
    break;
  case ast::ExprKind::Date:
    out = e->as<ast::DateLit>().day;
    break;
  case ast::ExprKind::PeriodLit: {
    const Period& p = e->as<ast::PeriodLitExpr>().period;
    out = periodCode(p.start(), p.end());
    break;
  }
  case ast::ExprKind::Bool:
    out = e->as<ast::BoolLit>().value;
    break;
  case ast::ExprKind::Duration: { // days or weeks (the planner refuses longer units)
    const auto& duration = e->as<ast::DurationLit>();
    out = duration.count * (duration.unit == PeriodUnit::Week ? 7 : 1);
    break;
  }
  case ast::ExprKind::String:
    return parseParamValue(param.type, e->as<ast::StringLit>().plainText(), out, codes, strings);
  default:
    return false;
  }
  if (negate)
    out = -out;
  return true;
}

RunParamValues computeRunParams(const Plan& plan, const std::string& periodText,
                                const std::string& asOfText,
                                const std::map<std::string, std::string>& overrides,
                                std::map<std::string, int32_t>& stringCodes,
                                std::vector<std::string>& strings) {
  RunParamValues result;
  result.values.assign(plan.runParams.size(), 0);
  result.valid.assign(plan.runParams.size(), 1);
  const PeriodUnit cadence = *plan.framework->cadence;
  auto period = parsePeriod(periodText);
  if (!period) {
    result.errors.push_back(fmt::format(
        "`--period {}` is not a period; write it like 2017-Q2, 2017-05 or 2017-W18", periodText));
    return result;
  }
  if (period->unit != cadence) {
    result.errors.push_back(fmt::format("`--period {}` is a {}, but framework `{}` runs every {}",
                                        periodText, periodUnitName(period->unit),
                                        plan.framework->name.name, periodUnitName(cadence)));
    return result;
  }
  DayNumber asOf = period->end();
  if (!asOfText.empty()) {
    auto day = parseDate(asOfText);
    if (!day) {
      result.errors.push_back(
          fmt::format("`--as-of {}` is not a date; write it as YYYY-MM-DD", asOfText));
      return result;
    }
    asOf = *day;
  }
  for (const auto& [name, value] : overrides) {
    const bool used = std::any_of(plan.runParams.begin(), plan.runParams.end(), [&](auto& p) {
      return p.kind == RunParamKind::UserParam && p.param->name.name == name;
    });
    if (!used)
      result.errors.push_back(fmt::format("`--param {}={}`: framework `{}` uses no param `{}`",
                                          name, value, plan.framework->name.name, name));
  }
  for (size_t i = 0; i < plan.runParams.size(); ++i) {
    const RunParamSpec& spec = plan.runParams[i];
    double& out = result.values[i];
    switch (spec.kind) {
    case RunParamKind::UserParam: {
      const ast::ParamDecl& param = *spec.param;
      if (auto it = overrides.find(param.name.name); it != overrides.end()) {
        if (!parseParamValue(param.type, it->second, out, stringCodes, strings))
          result.errors.push_back(fmt::format(
              "`--param {}={}`: expected a {}{}", param.name.name, it->second,
              ast::typeName(param.type),
              param.type.kind == TypeKind::Duration ? " in days or weeks (`14days`)" : ""));
      } else if (!defaultValue(param, out, stringCodes, strings)) {
        result.errors.push_back(
            fmt::format("param `{}` has no default: run with `--param {}=VALUE`", param.name.name,
                        param.name.name));
      }
      break;
    }
    case RunParamKind::PeriodCode:
      out = periodCode(period->start(), period->end());
      break;
    case RunParamKind::PeriodStart:
      out = period->start();
      break;
    case RunParamKind::PeriodEnd:
      out = period->end();
      break;
    case RunParamKind::AsOf:
      out = asOf;
      break;
    case RunParamKind::WorkingDays:
      out = workingDaysBetween(period->start(), period->end());
      break;
    case RunParamKind::WindowStart:
    case RunParamKind::WindowEnd: {
      DayNumber start = 0, end = 0;
      if (spec.last) {
        start = lastWindowStart(asOf, spec.count, spec.unit);
        end = asOf;
      } else if (spec.ofCadence) {
        const Period before = period->shifted(-1);
        start = before.start();
        end = before.end();
      } else {
        const Period last = periodContaining(period->start() - 1, spec.unit);
        start = last.shifted(-(spec.count - 1)).start();
        end = last.end();
      }
      out = spec.kind == RunParamKind::WindowStart ? start : end;
      break;
    }
    }
  }
  return result;
}

} // namespace fulcrum::runtime
