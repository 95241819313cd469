// The plan's probes (runtime/plan/Probes.h): as each member is lowered, where its values come
// from in the source and which slot, aggregate or formula node holds each, for `run --explain`
// and `test --coverage`. The engines never read them.
#include "compiler/lower/Declarations.h"
#include "compiler/lower/Lowerer.h"

#include <algorithm>
#include <cctype>

namespace fulcrum::lower {

namespace {

// The byte offset of 1-based column `column` (in code points) of the line starting at `start`.
size_t byteOfColumn(const std::string& text, size_t start, uint32_t column) {
  size_t at = start;
  for (uint32_t c = 1; c < column && at < text.size() && text[at] != '\n'; ++c) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
      ++at; // a UTF-8 continuation byte
  }
  return at;
}

// How a condition's operands are shown: `attainment >= 150%` as attainment is (a bare number
// takes the other side's unit).
ValueType operandKind(const Expr* condition) {
  if (condition == nullptr || !condition->is<BinaryExpr>())
    return ValueType::Bool;
  const auto& binary = condition->as<BinaryExpr>();
  const Expr& side = binary.lhs->type.kind == TypeKind::NumberLiteral ? *binary.rhs : *binary.lhs;
  return valueTypeOf(side.type);
}

// The end (one past the closing quote) of the string literal opening at `begin`, or `limit`.
// A literal is copied as written: its spaces are its value's, and its escapes and `{hole}`s (which
// may hold plain strings, grammar/Fulcrum.g4) as the author wrote them.
size_t stringLiteralEnd(const std::string& text, size_t begin, size_t limit) {
  bool inHole = false, inHoleString = false;
  for (size_t i = begin + 1; i < limit; ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i; // the escaped character
    } else if (inHoleString) {
      inHoleString = c != '"';
    } else if (inHole) {
      inHoleString = c == '"';
      inHole = c != '}';
    } else if (c == '{') {
      inHole = true;
    } else if (c == '"') {
      return i + 1;
    } else if (c == '\n') {
      return i; // unterminated (the parser has said so)
    }
  }
  return limit;
}

} // namespace

ProbeSource Lowerer::probeSource(const SourceRange& range) const {
  const SourceFile& file = compilation_.sources.file(range.file);
  ProbeSource source{file.path, range.begin.line, range.begin.column, {}};
  if (!range.valid() || range.begin.line > file.lineStarts.size() ||
      range.end.line > file.lineStarts.size())
    return source;
  const size_t begin =
      byteOfColumn(file.text, file.lineStarts[range.begin.line - 1], range.begin.column);
  const size_t end = byteOfColumn(file.text, file.lineStarts[range.end.line - 1], range.end.column);
  bool space = false;
  for (size_t i = begin; i < end && i < file.text.size(); ++i) {
    const auto c = static_cast<unsigned char>(file.text[i]);
    if (std::isspace(c)) {
      space = !source.text.empty();
      continue;
    }
    // `f(\n  a,\n  b\n)` reads `f(a, b)`: no space just inside brackets.
    if (space && source.text.back() != '(' && source.text.back() != '[' && c != ')' && c != ']')
      source.text += ' ';
    space = false;
    if (c == '"') {
      const size_t literalEnd = stringLiteralEnd(file.text, i, std::min(end, file.text.size()));
      source.text.append(file.text, i, literalEnd - i);
      i = literalEnd - 1;
      continue;
    }
    source.text += static_cast<char>(c);
  }
  return source;
}

std::string Lowerer::memberName() const {
  if (member_ == nullptr)
    return {};
  return member_->is<CheckMember>() ? member_->as<CheckMember>().label : member_->name.name;
}

// Inserted at `at` (the number of probes before the member was lowered), so a member's probe
// comes before those of the aggregates and arms inside it.
void Lowerer::probeValue(ProbeKind kind, size_t at, const SourceRange& place,
                         const SourceRange& text, int32_t slot, ValueType shown, std::string name,
                         double weight) {
  Probe probe;
  probe.kind = kind;
  probe.member = memberName();
  probe.name = std::move(name);
  probe.at = probeSource(text);
  probe.at.line = place.begin.line;
  probe.at.column = place.begin.column;
  probe.shown = shown;
  probe.slot = slot;
  probe.weight = weight;
  plan_.probes.insert(plan_.probes.begin() + static_cast<std::ptrdiff_t>(at), std::move(probe));
  // The arms after it moved one place (only the member's own probes follow `at`).
  for (size_t i = at + 1; i < plan_.probes.size(); ++i)
    if (plan_.probes[i].within >= static_cast<int32_t>(at))
      ++plan_.probes[i].within;
}

void Lowerer::probeWithin(size_t begin, size_t end, size_t arm) {
  for (size_t i = begin; i < end; ++i)
    if (plan_.probes[i].kind == ProbeKind::Arm && plan_.probes[i].within < 0)
      plan_.probes[i].within = static_cast<int32_t>(arm);
}

void Lowerer::probeAggregate(const CallExpr& call, uint32_t aggregate) {
  const std::string member = memberName();
  for (size_t i = memberProbes_; i < plan_.probes.size(); ++i)
    if (plan_.probes[i].kind == ProbeKind::Aggregate &&
        plan_.probes[i].aggregate == static_cast<int32_t>(aggregate) &&
        plan_.probes[i].member == member)
      return; // the same aggregate written twice in one member
  Probe probe;
  probe.kind = ProbeKind::Aggregate;
  probe.member = member;
  probe.at = probeSource(call.range);
  probe.shown = valueTypeOf(call.type);
  probe.aggregate = static_cast<int32_t>(aggregate);
  plan_.probes.push_back(std::move(probe));
}

void Lowerer::probeArm(const Expr* condition, const SourceRange& at, int32_t node,
                       const Expr& value, uint32_t choice) {
  Probe probe;
  probe.kind = ProbeKind::Arm;
  probe.member = memberName();
  probe.name = probeSource(value.range).text;
  probe.at = probeSource(at);
  if (condition == nullptr)
    probe.at.text = "else";
  probe.shown = operandKind(condition);
  probe.stage = static_cast<uint32_t>(stages_.size());
  probe.condition = node;
  probe.choice = choice;
  plan_.probes.push_back(std::move(probe));
}

void Lowerer::noteDivision(const BinaryExpr& division, uint32_t divisor) {
  DivisionSpec spec;
  spec.member = memberName();
  spec.stage = static_cast<uint32_t>(stages_.size());
  spec.divisor = divisor;
  spec.at = probeSource(division.range);
  spec.at.line = division.opRange.begin.line;
  spec.at.column = division.opRange.begin.column;
  spec.declaredMayBeMissing = member_ != nullptr && member_->is<MetricMember>() &&
                              member_->as<MetricMember>().declaredType &&
                              member_->as<MetricMember>().declaredType->optional;
  // A function inlined twice in one member writes the same division twice.
  for (const DivisionSpec& other : plan_.divisions)
    if (other.member == spec.member && other.stage == spec.stage && other.divisor == divisor &&
        other.at.file == spec.at.file && other.at.line == spec.at.line &&
        other.at.column == spec.at.column)
      return;
  plan_.divisions.push_back(std::move(spec));
}

void Lowerer::settleDivisionMembers(size_t begin) {
  if (begin == plan_.divisions.size())
    return;
  // The member's own probe is the first of those it added that holds a slot of its kind.
  int32_t slot = -1;
  for (size_t i = memberProbes_; i < plan_.probes.size() && slot < 0; ++i) {
    const Probe& probe = plan_.probes[i];
    const bool ofMember = probe.kind == ProbeKind::Metric || probe.kind == ProbeKind::Score ||
                          probe.kind == ProbeKind::Band || probe.kind == ProbeKind::Check ||
                          probe.kind == ProbeKind::Alert;
    if (ofMember && probe.member == memberName())
      slot = probe.slot;
  }
  for (size_t i = begin; i < plan_.divisions.size(); ++i)
    if (plan_.divisions[i].memberSlot < 0)
      plan_.divisions[i].memberSlot = slot;
}

void Lowerer::noteProgressDivision(const KeyResult& kr, uint32_t divisor, uint32_t progress) {
  const std::string& name = kr.name.name;
  DivisionSpec spec;
  spec.member = name + ".progress";
  spec.stage = static_cast<uint32_t>(stages_.size());
  spec.divisor = divisor;
  spec.at.file = compilation_.sources.file(kr.name.range.file).path;
  spec.at.line = kr.name.range.begin.line;
  spec.at.column = kr.name.range.begin.column;
  // Written by the language, not the author: as its output columns read (the divisor last).
  spec.at.text = kr.lowerIsBetter ? name + ".target / " + name + ".actual"
                                  : name + ".actual / " + name + ".target";
  spec.memberSlot = static_cast<int32_t>(progress);
  plan_.divisions.push_back(std::move(spec));
}

} // namespace fulcrum::lower
