// Run parameters. Windows: `previous N units` are the N whole units just before the period's
// start; `previous period` is the period before; `last N units` end at the as-of day.
#include "runtime/exec/RunParams.h"

#include "support/Currency.h"
#include "support/Literals.h"

#include <algorithm>
#include <fmt/format.h>

namespace fulcrum::runtime {

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

// A range's bound as the param's declaration writes it: money (held in units) as `$1,200`.
static std::string boundText(ValueType type, double bound, std::string_view sign) {
  return type == ValueType::Money ? std::string(sign) + plainMoney(bound)
                                  : fmt::format("{:g}", bound);
}

// A `--param` value or a literal default, read as the param's type.
static bool parseParamValue(ValueType type, const std::string& text, double& out,
                            StringCodes& codes, std::vector<std::string>& strings, int fiscalStart,
                            std::string_view sign) {
  switch (type) {
  case ValueType::Money: {
    // Exact, in units of 1/10,000 (support/Money.h), in the program's currency: its sign or
    // none; another currency's sign is no amount of this program.
    const Currency* written = currencyOfSign(text);
    if (written && written->sign != sign)
      return false;
    const MoneyText money = parseMoneyLiteral(written ? text : std::string(sign) + text);
    if (money.error != MoneyTextError::None)
      return false;
    out = money.units;
    return true;
  }
  case ValueType::Percent: {
    auto percent = text.back() == '%' ? parsePercentLiteral(text) : parseNumberLiteral(text);
    if (!percent)
      return false;
    out = *percent;
    return true;
  }
  case ValueType::Date: {
    auto day = parseDate(text);
    if (!day)
      return false;
    out = *day;
    return true;
  }
  case ValueType::Period: {
    auto p = parsePeriod(text, fiscalStart);
    if (!p)
      return false;
    out = periodCode(p->start(), p->end());
    return true;
  }
  case ValueType::Duration:
  case ValueType::MonthDuration: {
    // `14 days`, `2 weeks`, or without the space (`14days`), as days; a param in months takes
    // months, quarters or years (`3months`), as months: the plan's units.
    std::string spaced = text;
    const size_t unit = spaced.find_first_not_of("0123456789_.");
    if (unit != std::string::npos && unit > 0 && spaced[unit] != ' ')
      spaced.insert(unit, " ");
    auto duration = parseDurationLiteral(spaced);
    if (!duration || isCalendarUnit(duration->unit) != (type == ValueType::MonthDuration))
      return false;
    out = durationRunValue(duration->count, duration->unit);
    return true;
  }
  case ValueType::Bool:
    if (text != "true" && text != "false")
      return false;
    out = text == "true";
    return true;
  case ValueType::Text: {
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

// A param's default, read at plan time: a value, or a string's text read as its type.
static bool defaultValue(const RunParamSpec& param, double& out, StringCodes& codes,
                         std::vector<std::string>& strings, int fiscalStart,
                         std::string_view sign) {
  if (param.defaultText)
    return parseParamValue(param.paramType, *param.defaultText, out, codes, strings, fiscalStart,
                           sign);
  if (!param.defaultValue)
    return false;
  out = *param.defaultValue;
  return true;
}

std::optional<double> userParamDefault(const Plan& plan, const RunParamSpec& param,
                                       StringCodes& stringCodes,
                                       std::vector<std::string>& strings) {
  double out = 0;
  if (!defaultValue(param, out, stringCodes, strings, plan.fiscalStart, plan.currency->sign))
    return std::nullopt;
  return out;
}

RunParamValues computeRunParams(const Plan& plan, const std::string& periodText,
                                const std::string& asOfText,
                                const std::map<std::string, std::string>& overrides,
                                StringCodes& stringCodes, std::vector<std::string>& strings) {
  RunParamValues result;
  result.values.assign(plan.runParams.size(), 0);
  result.valid.assign(plan.runParams.size(), 1);
  const PeriodUnit cadence = plan.cadence;
  std::optional<DayNumber> asOfDay;
  if (!asOfText.empty()) {
    asOfDay = parseDate(asOfText);
    if (!asOfDay) {
      result.errors.push_back(
          fmt::format("`--as-of {}` is not a date; write it as YYYY-MM-DD", asOfText));
      return result;
    }
  }
  const int fiscalStart = plan.fiscalStart;
  const std::string_view sign = plan.currency->sign;
  // `--as-of D` alone: the cadence period that holds D (language.md, as-of).
  auto period = periodText.empty() && asOfDay
                    ? std::optional(periodContaining(*asOfDay, cadence, fiscalStart))
                    : parsePeriod(periodText, fiscalStart);
  if (!period) {
    result.errors.push_back(
        isFiscalPeriodText(periodText) && fiscalStart == 0
            ? fmt::format("`--period {}` names a fiscal period, but the program declares no "
                          "fiscal calendar (`calendar fiscal year starts MONTH`); write a "
                          "calendar period like 2017-Q2",
                          periodText)
            : fmt::format("`--period {}` is not a period; write it like 2017-Q2, 2017-05 or "
                          "2017-W18{}",
                          periodText, fiscalStart != 0 ? ", or FY2018-Q1 (fiscal)" : ""));
    return result;
  }
  if (period->unit != cadence) {
    result.errors.push_back(fmt::format("`--period {}` is a {}, but framework `{}` runs every {}",
                                        periodText, periodUnitName(period->unit),
                                        plan.frameworkName, periodUnitName(cadence)));
    return result;
  }
  if (fiscalStart != 0 && followsFiscalYear(cadence) && period->fiscalStart == 0) {
    // A calendar quarter (or year) on a fiscal cadence: the same one only when the fiscal year
    // starts in January; otherwise it straddles two fiscal periods, and which was meant is the
    // user's call.
    const std::vector<Period> fiscal =
        periodsOverlapping(period->start(), period->end(), cadence, fiscalStart);
    if (fiscal.size() != 1) {
      std::string names;
      for (size_t i = 0; i < fiscal.size(); ++i)
        names += (i == 0 ? "" : i + 1 == fiscal.size() ? " and " : ", ") + formatPeriod(fiscal[i]);
      result.errors.push_back(
          fmt::format("`--period {}`: {} is a calendar {}; this program's {}s are fiscal (its "
                      "year starts in {}): {} overlaps {}",
                      periodText, periodText, periodUnitName(cadence), periodUnitName(cadence),
                      monthName(fiscalStart), periodText, names));
      return result;
    }
    period = fiscal[0];
  }
  result.period = *period;
  const DayNumber asOf = asOfDay.value_or(period->end());
  result.asOf = asOf;
  for (const auto& [name, value] : overrides) {
    const bool used = std::any_of(plan.runParams.begin(), plan.runParams.end(), [&](auto& p) {
      return p.kind == RunParamKind::UserParam && p.name == name;
    });
    if (!used)
      result.errors.push_back(fmt::format("`--param {}={}`: framework `{}` uses no param `{}`",
                                          name, value, plan.frameworkName, name));
  }
  for (size_t i = 0; i < plan.runParams.size(); ++i) {
    const RunParamSpec& spec = plan.runParams[i];
    double& out = result.values[i];
    switch (spec.kind) {
    case RunParamKind::UserParam: {
      if (auto it = overrides.find(spec.name); it != overrides.end()) {
        if (!parseParamValue(spec.paramType, it->second, out, stringCodes, strings, fiscalStart,
                             sign))
          result.errors.push_back(fmt::format(
              "`--param {}={}`: expected {}", spec.name, it->second,
              spec.paramType == ValueType::Duration ? "a duration in days or weeks (`14days`)"
              : spec.paramType == ValueType::MonthDuration
                  ? "a duration in months (`3months`, `1quarter`, `1year`)"
              : spec.paramType == ValueType::Money
                  ? fmt::format("an amount of money in {} with at most four decimals (`600000`, "
                                "`{}1.2M`, `{}300k`); a program has one currency",
                                plan.currency->code, sign, sign)
                  : "a " + spec.paramTypeName));
        else if ((spec.minimum && out < *spec.minimum) || (spec.maximum && out > *spec.maximum))
          result.errors.push_back(fmt::format(
              "`--param {}={}`: param `{}` is declared in {}..{}", spec.name, it->second, spec.name,
              spec.minimum ? boundText(spec.paramType, *spec.minimum, sign) : "",
              spec.maximum ? boundText(spec.paramType, *spec.maximum, sign) : ""));
      } else if (!defaultValue(spec, out, stringCodes, strings, fiscalStart, sign)) {
        result.errors.push_back(fmt::format(
            "param `{}` has no default: run with `--param {}=VALUE`", spec.name, spec.name));
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
    case RunParamKind::PeriodToDateEnd: // as of a day before the period: nothing has happened
      out = std::min(period->end(), asOf);
      break;
    case RunParamKind::AsOf:
      out = asOf;
      break;
    case RunParamKind::WorkingDays:
      out = spec.fixedPeriod ? workingDaysBetween(spec.fixedPeriod->first, spec.fixedPeriod->second)
                             : workingDaysBetween(period->start(), period->end());
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
        // Whole units (fiscal quarters and years under a fiscal calendar) before the period.
        const Period last = periodContaining(period->start() - 1, spec.unit, fiscalStart);
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
