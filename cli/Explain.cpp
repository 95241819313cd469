// The explanation of one subject (see Explain.h): the plan's probes, in the order the members
// were lowered (dependency order), grouped into one section per member, each read from the
// subject's trace; then rendered as text or JSON from the same sections.
#include "cli/Explain.h"

#include "runtime/output/ResultFormat.h"
#include "support/Text.h"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>

namespace fulcrum::cli {

namespace {

using Json = nlohmann::ordered_json;
using runtime::ArmOutcome;
using runtime::NodeValue;
using runtime::Probe;
using runtime::ProbeKind;
using runtime::ValueType;

// A value for people (the text), as CSV carries it (raw) and as JSON does (plain).
struct Shown {
  std::string text;
  Json plain;
  std::string raw;
};

struct ArmLine {
  std::string condition, result;
  ArmOutcome outcome = ArmOutcome::NotReached;
  std::string op;             // a comparison's operator, or empty
  Shown left, right;          // a comparison's operands
  std::vector<ArmLine> inner; // the choices inside its value (reached only when it is taken)
};

struct AggregateLine {
  std::string call, table, file;
  int64_t rows = 0;
  Shown value;
  std::vector<uint32_t> lines;
};

struct Part { // a score's component
  std::string name, formula, at;
  double share = 0, points = 0; // its weight as a fraction, and what a value of 1 contributes
  Shown value;
  std::optional<double> fraction, contribution; // its value in [0, 1], and that times `points`
  std::vector<AggregateLine> aggregates;
  std::vector<ArmLine> arms;
  std::vector<size_t> armProbes; // the arms' probes, made into `arms` at the end
};

struct Section {
  ProbeKind kind = ProbeKind::Metric;
  std::string member; // Probe::member: the aggregates and arms written in it follow it
  std::string name, formula, at;
  Shown value;
  std::vector<AggregateLine> aggregates;
  std::vector<ArmLine> arms;
  std::vector<size_t> armProbes;
  // A score: its points, components, and the sum of their contributions (none when one is
  // missing).
  double outOf = 0;
  std::vector<Part> parts;
  std::optional<double> sum;
  std::vector<std::pair<std::string, Shown>> inputs; // a check's
};

class Explainer {
public:
  Explainer(const runtime::Plan& plan, const runtime::RunResult& result)
      : plan_(plan), table_(result.table), trace_(result.traces.at(0)),
        outcomes_(runtime::armOutcomes(plan, trace_)) {}

  std::vector<Section> sections() const {
    std::vector<Section> out;
    for (size_t i = 0; i < plan_.probes.size(); ++i) {
      const Probe& probe = plan_.probes[i];
      switch (probe.kind) {
      case ProbeKind::Metric:
      case ProbeKind::Score:
      case ProbeKind::Band:
      case ProbeKind::Check:
        out.push_back(section(probe));
        break;
      case ProbeKind::Alert:
        if (probe.slot >= 0) // a passive alert's condition; an active one's rows are not traced
          out.push_back(section(probe));
        break;
      // What is written inside a member follows the member's own probe; that of a member with no
      // section (an objective's key results, a rank) is left out with it.
      case ProbeKind::Component:
        if (!out.empty() && out.back().member == probe.member)
          out.back().parts.push_back(part(probe));
        break;
      case ProbeKind::Aggregate:
        if (!out.empty() && out.back().member == probe.member)
          aggregatesOf(out.back()).push_back(aggregate(probe));
        break;
      case ProbeKind::Arm:
        if (!out.empty() && out.back().member == probe.member)
          (out.back().parts.empty() ? out.back().armProbes : out.back().parts.back().armProbes)
              .push_back(i);
        break;
      }
    }
    for (Section& s : out) {
      s.arms = armTree(s.armProbes, -1);
      for (Part& p : s.parts)
        p.arms = armTree(p.armProbes, -1);
      if (s.kind == ProbeKind::Score)
        addUp(s);
    }
    return out;
  }

  // Outputs no probe explains (ranks, objectives and key results): their values alone.
  std::vector<std::pair<std::string, Shown>> otherOutputs() const {
    std::vector<std::pair<std::string, Shown>> out;
    for (const runtime::OutputColumn& column : plan_.outputs) {
      const bool probed =
          std::any_of(plan_.probes.begin(), plan_.probes.end(), [&](const Probe& p) {
            return p.slot == static_cast<int32_t>(column.slot) && p.kind != ProbeKind::Alert;
          });
      if (!probed)
        out.emplace_back(column.name, shown(column.kind, trace_.slots.at(column.slot)));
    }
    return out;
  }

  const std::string& key() const { return trace_.key; }

private:
  Shown shown(ValueType kind, const NodeValue& v) const {
    Shown out{runtime::shownValue(kind, v.value, v.valid, table_.strings, table_.fiscalStart,
                                  table_.currencySign),
              nullptr,
              {}};
    if (!v.valid)
      return out;
    out.raw = runtime::rawValue(kind, v.value, table_.strings, table_.fiscalStart);
    out.plain = runtime::jsonQuoted(kind) ? Json(out.raw) : Json::parse(out.raw, nullptr, false);
    return out;
  }

  static std::string location(const Probe& probe) {
    return fmt::format("{}:{}:{}", probe.at.file, probe.at.line, probe.at.column);
  }

  // A section's parts hold the aggregates and arms after a component's probe.
  static std::vector<AggregateLine>& aggregatesOf(Section& s) {
    return s.parts.empty() ? s.aggregates : s.parts.back().aggregates;
  }
  // The choices among `probes` held by arm probe `holder` (-1: those no listed arm holds), each
  // arm followed by the choices inside its value.
  std::vector<ArmLine> armTree(const std::vector<size_t>& probes, int64_t holder) const {
    std::vector<ArmLine> lines;
    for (size_t index : probes) {
      const int32_t within = plan_.probes[index].within;
      const bool held = within >= 0 && std::find(probes.begin(), probes.end(),
                                                 static_cast<size_t>(within)) != probes.end();
      if (held ? within != holder : holder != -1)
        continue;
      ArmLine line = arm(plan_.probes[index], index);
      line.inner = armTree(probes, static_cast<int64_t>(index));
      lines.push_back(std::move(line));
    }
    return lines;
  }

  Section section(const Probe& probe) const {
    Section s;
    s.kind = probe.kind;
    s.member = probe.member;
    s.name = probe.kind == ProbeKind::Alert ? probe.name : probe.member;
    s.formula = probe.at.text;
    s.at = location(probe);
    s.value = shown(probe.shown, trace_.slots.at(static_cast<size_t>(probe.slot)));
    s.outOf = probe.weight;
    if (probe.kind == ProbeKind::Check)
      for (const runtime::CheckSpec& check : plan_.checks)
        if (static_cast<int32_t>(check.slot) == probe.slot)
          for (const runtime::OutputColumn& input : check.inputs)
            s.inputs.emplace_back(input.name, shown(input.kind, trace_.slots.at(input.slot)));
    return s;
  }

  Part part(const Probe& probe) const {
    Part p;
    p.name = probe.name;
    p.formula = probe.at.text;
    p.at = location(probe);
    p.points = probe.weight;
    const NodeValue& value = trace_.slots.at(static_cast<size_t>(probe.slot));
    p.value = shown(ValueType::Number, value);
    if (value.valid) {
      p.fraction = value.value;
      p.contribution = value.value * probe.weight;
    }
    return p;
  }

  static void addUp(Section& score) {
    for (Part& part : score.parts)
      part.share = score.outOf > 0 ? part.points / score.outOf : 0;
    double sum = 0;
    for (const Part& part : score.parts) {
      if (!part.contribution)
        return; // the score is missing too
      sum += *part.contribution;
    }
    score.sum = sum;
  }

  AggregateLine aggregate(const Probe& probe) const {
    AggregateLine line;
    line.call = probe.at.text;
    const runtime::AggregateRows& rows = trace_.aggregates.at(static_cast<size_t>(probe.aggregate));
    line.table = rows.table;
    line.file = rows.file;
    line.rows = rows.count;
    line.value = shown(probe.shown, rows.value);
    line.lines = rows.lines;
    return line;
  }

  ArmLine arm(const Probe& probe, size_t index) const {
    ArmLine line;
    line.condition = probe.at.text;
    line.result = probe.name;
    line.outcome = outcomes_.at(index);
    if (probe.condition < 0)
      return line;
    const auto& nodes = runtime::formulaKernel(plan_, probe.stage).nodes;
    const runtime::PNode& node = nodes.at(static_cast<size_t>(probe.condition));
    const auto& values = trace_.stages.at(probe.stage);
    if (const char* op = comparison(node.op)) {
      line.op = op;
      line.left = shown(probe.shown, values.at(node.a));
      line.right = shown(probe.shown, values.at(node.b));
      // `4.00 is not >= 4.00` would read as a contradiction: 3.998 is not >= 4.
      if (!line.left.raw.empty() && !line.right.raw.empty())
        std::tie(line.left.text, line.right.text) =
            runtime::shownApart(line.left.text, line.left.raw, line.right.text, line.right.raw);
    }
    return line;
  }

  static const char* comparison(runtime::POp op) {
    switch (op) {
    case runtime::POp::Eq:
      return "==";
    case runtime::POp::Ne:
      return "!=";
    case runtime::POp::Lt:
      return "<";
    case runtime::POp::Le:
      return "<=";
    case runtime::POp::Gt:
      return ">";
    case runtime::POp::Ge:
      return ">=";
    default:
      return nullptr;
    }
  }

  const runtime::Plan& plan_;
  const runtime::ResultTable& table_;
  const runtime::SubjectTrace& trace_;
  std::vector<ArmOutcome> outcomes_;
};

const char* outcomeName(ArmOutcome outcome) {
  switch (outcome) {
  case ArmOutcome::Taken:
    return "taken";
  case ArmOutcome::False:
    return "false";
  case ArmOutcome::Missing:
    return "missing";
  case ArmOutcome::NotReached:
    return "not reached";
  }
  return "";
}

std::string heading(const runtime::Plan& plan, const std::string& key,
                    const ExplainContext& context) {
  std::string out = fmt::format("{} for {} {}", plan.frameworkName, plan.tables.at(0).name, key);
  if (!context.period.empty())
    out += ", period " + context.period;
  if (!context.asOf.empty())
    out += ", as of " + context.asOf;
  return out;
}

// `  llr >= 4.5 => "promote": false, 1.93 is not >= 4.50`
std::string armText(const ArmLine& arm) {
  std::string out = fmt::format("{} => {}: ", arm.condition, arm.result);
  const bool compared = !arm.op.empty();
  switch (arm.outcome) {
  case ArmOutcome::Taken:
    return out + (compared ? fmt::format("taken, {} {} {}", arm.left.text, arm.op, arm.right.text)
                           : "taken");
  case ArmOutcome::False:
    return out + (compared
                      ? fmt::format("false, {} is not {} {}", arm.left.text, arm.op, arm.right.text)
                      : "false");
  case ArmOutcome::Missing:
    return out + (compared ? fmt::format("missing ({} {} {}), so the result is missing",
                                         arm.left.text, arm.op, arm.right.text)
                           : "missing, so the result is missing");
  case ArmOutcome::NotReached:
    return out + "not reached";
  }
  return out;
}

void appendAggregates(std::string& out, const std::vector<AggregateLine>& aggregates,
                      const std::string& indent) {
  for (const AggregateLine& a : aggregates) {
    out += fmt::format("{}{} = {}, from {} row{} of {}\n", indent, a.call, a.value.text, a.rows,
                       a.rows == 1 ? "" : "s", a.table);
    for (uint32_t line : a.lines)
      out += fmt::format("{}  {}:{}\n", indent, a.file, line);
  }
}

void appendArms(std::string& out, const std::vector<ArmLine>& arms, const std::string& indent) {
  for (const ArmLine& arm : arms) {
    out += indent + armText(arm) + "\n";
    appendArms(out, arm.inner, indent + "  ");
  }
}

std::string fourPlaces(double v) {
  return fmt::format("{:.4f}", v);
}

Json aggregatesJson(const std::vector<AggregateLine>& aggregates, bool withLines) {
  Json out = Json::array();
  for (const AggregateLine& a : aggregates) {
    Json item = {{"call", a.call},
                 {"table", a.table},
                 {"file", a.file},
                 {"rows", a.rows},
                 {"value", a.value.plain}};
    if (withLines)
      item["lines"] = a.lines;
    out.push_back(std::move(item));
  }
  return out;
}

Json armsJson(const std::vector<ArmLine>& arms) {
  Json out = Json::array();
  for (const ArmLine& arm : arms) {
    Json item = {{"condition", arm.condition},
                 {"result", arm.result},
                 {"outcome", outcomeName(arm.outcome)}};
    if (!arm.op.empty()) {
      item["left"] = arm.left.plain;
      item["op"] = arm.op;
      item["right"] = arm.right.plain;
    }
    if (!arm.inner.empty())
      item["arms"] = armsJson(arm.inner);
    out.push_back(std::move(item));
  }
  return out;
}

} // namespace

std::string explainText(const runtime::Plan& plan, const runtime::RunResult& result,
                        const ExplainContext& context) {
  const Explainer explainer(plan, result);
  std::string out = heading(plan, explainer.key(), context) + "\n";
  for (const Section& s : explainer.sections()) {
    out += "\n";
    switch (s.kind) {
    case ProbeKind::Score:
      out +=
          fmt::format("score {} = {} out of {:.10g}  ({})\n", s.name, s.value.text, s.outOf, s.at);
      for (const Part& p : s.parts) {
        out += fmt::format("  {} {:.10g}% of {:.10g} = {:.10g} points: {} = ", p.name,
                           p.share * 100, s.outOf, p.points, p.formula);
        out += p.contribution ? fmt::format("{}, contributes {}\n", fourPlaces(*p.fraction),
                                            fourPlaces(*p.contribution))
                              : "-, contributes nothing: it is missing\n";
        appendAggregates(out, p.aggregates, "    ");
        appendArms(out, p.arms, "    ");
      }
      if (s.sum) {
        std::string terms;
        for (const Part& p : s.parts)
          terms += (terms.empty() ? "" : " + ") + fourPlaces(*p.contribution);
        out +=
            fmt::format("  sum: {} = {}, shown as {}\n", terms, fourPlaces(*s.sum), s.value.text);
      } else {
        out += "  sum: missing, as a component is missing\n";
      }
      break;
    case ProbeKind::Check: {
      const char* verdict = s.value.plain.is_null() ? "missing (neither holds nor is violated)"
                            : s.value.plain == true ? "holds"
                                                    : "violated";
      out += fmt::format("check \"{}\": {}  ({})\n  = {}\n", s.name, verdict, s.at, s.formula);
      std::string inputs;
      for (const auto& [name, value] : s.inputs)
        inputs += fmt::format("{}{} = {}", inputs.empty() ? "" : ", ", name, value.text);
      if (!inputs.empty())
        out += "  inputs: " + inputs + "\n";
      break;
    }
    case ProbeKind::Alert:
      out += fmt::format("alert {}: {}  ({})\n", s.name,
                         s.value.plain == true ? "fires" : "does not fire", s.at);
      break;
    case ProbeKind::Band:
      out += fmt::format("band {} = {}  ({})\n", s.name, s.value.text, s.at);
      break;
    default:
      out += fmt::format("{} {} = {}  ({})\n  = {}\n", runtime::probeKindName(s.kind), s.name,
                         s.value.text, s.at, s.formula);
      break;
    }
    appendAggregates(out, s.aggregates, "  ");
    appendArms(out, s.arms, "  ");
  }
  const auto others = explainer.otherOutputs();
  if (!others.empty()) {
    out += "\nother outputs\n";
    for (const auto& [name, value] : others)
      out += fmt::format("  {} = {}\n", name, value.text);
  }
  return out;
}

std::string explainJson(const runtime::Plan& plan, const runtime::RunResult& result,
                        const ExplainContext& context) {
  const Explainer explainer(plan, result);
  Json members = Json::array();
  for (const Section& s : explainer.sections()) {
    Json item = {{"kind", runtime::probeKindName(s.kind)}, {"name", s.name}, {"at", s.at}};
    if (s.kind == ProbeKind::Metric || s.kind == ProbeKind::Check)
      item["formula"] = s.formula;
    item["value"] = s.value.plain;
    if (s.kind == ProbeKind::Score) {
      item["out_of"] = s.outOf;
      Json parts = Json::array();
      for (const Part& p : s.parts) {
        Json part = {{"name", p.name},
                     {"weight", p.share},
                     {"formula", p.formula},
                     {"value", p.value.plain},
                     {"contribution", p.contribution ? Json(*p.contribution) : Json(nullptr)}};
        if (!p.aggregates.empty())
          part["aggregates"] = aggregatesJson(p.aggregates, context.rowLines);
        if (!p.arms.empty())
          part["arms"] = armsJson(p.arms);
        parts.push_back(std::move(part));
      }
      item["components"] = std::move(parts);
      item["sum"] = s.sum ? Json(*s.sum) : Json(nullptr);
    }
    if (s.kind == ProbeKind::Check) {
      Json inputs = Json::object();
      for (const auto& [name, value] : s.inputs)
        inputs[name] = value.plain;
      item["inputs"] = std::move(inputs);
    }
    if (!s.aggregates.empty())
      item["aggregates"] = aggregatesJson(s.aggregates, context.rowLines);
    if (!s.arms.empty())
      item["arms"] = armsJson(s.arms);
    members.push_back(std::move(item));
  }
  Json others = Json::object();
  for (const auto& [name, value] : explainer.otherOutputs())
    others[name] = value.plain;
  Json report = {{"framework", plan.frameworkName},
                 {"entity", plan.tables.at(0).name},
                 {"subject", explainer.key()},
                 {"period", context.period.empty() ? Json(nullptr) : Json(context.period)},
                 {"as_of", context.asOf.empty() ? Json(nullptr) : Json(context.asOf)},
                 {"members", std::move(members)},
                 {"other_outputs", std::move(others)}};
  return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string unknownSubjectMessage(const runtime::Plan& plan, const runtime::ResultTable& table,
                                  const std::string& key) {
  const std::string& entity = plan.tables.at(0).name;
  std::string out = fmt::format("--explain: no {} \"{}\" in the data", entity, key);
  // The closest keys by spelling (at most three, nearest first), or what there is.
  const size_t limit = std::max<size_t>(1, key.size() / 3);
  std::vector<std::pair<size_t, std::string>> near;
  for (const std::string& candidate : table.keys)
    if (const size_t d = editDistance(key, candidate, limit); d <= limit)
      near.emplace_back(d, candidate);
  std::sort(near.begin(), near.end());
  if (near.size() > 3)
    near.resize(3);
  if (near.empty()) {
    if (table.keys.empty())
      return out + fmt::format(": it has no {} at all", entity);
    return out + fmt::format(" ({} {}s, from \"{}\" to \"{}\")", table.keys.size(), entity,
                             *std::min_element(table.keys.begin(), table.keys.end()),
                             *std::max_element(table.keys.begin(), table.keys.end()));
  }
  std::string list;
  for (size_t i = 0; i < near.size(); ++i)
    list += fmt::format("{}\"{}\"",
                        i == 0                 ? ""
                        : i + 1 == near.size() ? " or "
                                               : ", ",
                        near[i].second);
  return out + "; did you mean " + list + "?";
}

} // namespace fulcrum::cli
