// The lowering phase's shared parts: the builder of one kernel's nodes and the Lowerer, whose
// member functions are split by concern over this folder (PlanIds.cpp, Expressions.cpp,
// Calls.cpp, Aggregates.cpp, GroupsAndPeers.cpp, Members.cpp, OutputOrder.cpp, Lower.cpp).
// Internal to compiler/lower/.
#pragma once

#include "compiler/driver/Compilation.h"
#include "runtime/plan/Plan.h"

#include <array>
#include <bit>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace fulcrum::lower {

using namespace fulcrum::ast;
using namespace fulcrum::runtime;

// Hash-consing builder for one kernel's nodes.
// Hash-consing builder for one kernel's nodes.
class NodeBuilder {
public:
  explicit NodeBuilder(std::vector<PNode>& nodes) : nodes_(nodes) {}

  uint32_t add(PNode node) {
    // The constant by its bits: a double key would merge 0.0 with -0.0, and a NaN has no order.
    auto key = std::make_tuple(node.op, node.a, node.b, node.c, std::bit_cast<uint64_t>(node.value),
                               node.list);
    if (auto it = seen_.find(key); it != seen_.end())
      return it->second;
    nodes_.push_back(std::move(node));
    const auto index = static_cast<uint32_t>(nodes_.size() - 1);
    seen_.emplace(std::move(key), index);
    return index;
  }
  uint32_t leaf(POp op, uint32_t a = 0, uint32_t b = 0) { return add(PNode{op, a, b, 0, 0, {}}); }
  uint32_t constant(double value) { return add(PNode{POp::Const, 0, 0, 0, value, {}}); }
  uint32_t op(POp op, uint32_t a, uint32_t b = 0, uint32_t c = 0) {
    return add(PNode{op, a, b, c, 0, {}});
  }
  uint32_t list(POp op, uint32_t a, std::vector<uint32_t> items) {
    return add(PNode{op, a, 0, 0, 0, std::move(items)});
  }
  size_t size() const { return nodes_.size(); }

private:
  std::vector<PNode>& nodes_;
  std::map<std::tuple<POp, uint32_t, uint32_t, uint32_t, uint64_t, std::vector<uint32_t>>, uint32_t>
      seen_;
};

// Raised when a construct cannot be lowered, and caught in Lower.cpp; the diagnostic is already
// reported. The front end's exceptions policy allows them here: the lowering is part of the
// compiler, and none leaves lowerFramework, whose clients get a null plan.
struct Unsupported {};

class Lowerer {
public:
  Lowerer(const Compilation& compilation, const FrameworkDecl& framework, DiagnosticSink& sink)
      : compilation_(compilation), framework_(framework), sink_(sink),
        firstStage_(plan_.formulas.nodes) {}

  std::unique_ptr<Plan> run();

private:
  // Where an expression is lowered: a scan over `table`'s rows, or the per-subject formulas.
  struct Context {
    NodeBuilder* nodes;
    int table = -1;     // scan context: plan table index; -1: formula context
    int linkField = -1; // scan context: the row's reference to the subject
    const std::map<const void*, uint32_t>* fnArgs = nullptr; // inlined function parameters
    // Scan context of an alert, evaluated after the formulas: a member's name reads the
    // row's subject's slot.
    bool readsMembers = false;
    // Scan context of a second-pass scan: an aggregate inside it reads the row's subject's.
    bool secondPass = false;
  };

  [[noreturn]] void unsupported(SourceRange range, const std::string& what,
                                const std::string& hint = {}) {
    sink_.report(DiagKind::NotSupportedYet, range, what + " is not supported yet", hint);
    throw Unsupported{};
  }
  // Counts one more lowered expression of the member being planned (kMaxLoweredPerMember).
  void countLowered();
  // Reports (and throws Unsupported) when `expr` would be lowered deeper than
  // kMaxLoweredNesting, inlined function bodies included.
  [[noreturn]] void tooDeep(const Expr& expr);

  uint32_t tableIndex(const DataDecl* decl);
  uint32_t feedIndex(const FrameworkDecl& framework, SourceRange at);
  uint32_t feedOutput(uint32_t feed, const std::string& name, SourceRange at);
  uint32_t columnIndex(const DataDecl* decl, int field);
  uint32_t rowSubjectIndex(uint32_t table, int field);
  uint32_t runParam(RunParamSpec spec);
  void planReportParams();
  uint32_t stringCode(const std::string& text);
  uint32_t slotFor(const void* key);
  ScanKernel& scanFor(uint32_t table, uint32_t rowSubjects, uint8_t pass = 0);
  uint32_t aggregateOf(const CallExpr& call, const Context& ctx, uint8_t pass);

  uint32_t lower(const Expr& expr, const Context& ctx);
  // `expr` as `kind` expects it: where money is expected, a bare number (`value > 3000`) is
  // dollars, and the plan holds units of 1/10,000 (support/Money.h).
  uint32_t lowerAs(TypeKind kind, const Expr& expr, const Context& ctx);
  uint32_t lowerBinary(const BinaryExpr& binary, const Context& ctx);
  uint32_t lowerName(const NameRef& name, const Context& ctx);
  uint32_t lowerMember(const MemberRef& member, const Context& ctx);
  uint32_t lowerIn(const InExpr& in, const Context& ctx);
  void noteTextLiteral(const Expr& field, const Expr& literal, const Context& ctx);
  uint32_t lowerCall(const CallExpr& call, const Context& ctx);
  uint32_t lowerAggregate(const CallExpr& call, const Context& ctx);
  uint32_t lowerBuiltin(const CallExpr& call, const Context& ctx);
  uint32_t lowerWorkingDays(const CallExpr& call, const Context& ctx);
  uint32_t periodLeaf(NodeBuilder& nodes, RunParamKind kind, const char* name);
  uint32_t durationDays(const Expr& expr, const Context& ctx);
  uint32_t lowerMonthsArithmetic(const BinaryExpr& b, const Context& ctx);

  void planMember(const Member& member);
  void planMemberOfKind(const Member& member); // planMember's work, by the member's kind
  void planScore(const ScoreMember& score);
  void planCheck(const CheckMember& check);
  void planObjective(const ObjectiveMember& objective);
  void planRank(const RankMember& rank);
  void planAlert(const AlertMember& alert);
  void planActiveAlert(const AlertMember& alert, AlertSpec& spec, Context& messageCtx);
  void startStage(); // a new formula stage, after the peer steps and ranks its caller adds
  void orderByFirstRank();
  void planValue(const void* key, const std::string& name, const Expr& value, const Type& type,
                 OutputRole role = OutputRole::Value);
  std::optional<uint32_t> weightedSum(const std::vector<double>& weights,
                                      const std::vector<uint32_t>& slots);
  uint32_t overPresent(const std::vector<double>& shares, const std::vector<uint32_t>& progress,
                       uint32_t full);
  void preparePeers(const Member& member);
  void prepareGroupSubject();
  void orderOutputs();
  void assign(uint32_t slot, const Expr& expr, TypeKind as = TypeKind::Error);
  // Probes (Probes.cpp, runtime/plan/Probes.h): where values come from, for --explain and
  // --coverage.
  ProbeSource probeSource(const SourceRange& range) const;
  std::string memberName() const;
  // `place`: where it is written (the member, the component's name); `text`: its formula.
  void probeValue(ProbeKind kind, size_t at, const SourceRange& place, const SourceRange& text,
                  int32_t slot, ValueType shown, std::string name = {}, double weight = 0);
  void probeAggregate(const CallExpr& call, uint32_t aggregate);
  void probeArm(const Expr* condition, const SourceRange& at, int32_t node, const Expr& value,
                uint32_t choice);
  // The arms probed in [begin, end) that no inner arm holds are inside arm probe `arm`'s value.
  void probeWithin(size_t begin, size_t end, size_t arm);
  void assignNode(uint32_t slot, uint32_t begin, uint32_t node);
  // A division in the per-subject formulas (Plan::divisions), its divisor lowered to `divisor`.
  void noteDivision(const BinaryExpr& division, uint32_t divisor);
  // The divisions noted from `begin` on get the slot of the member just planned (its probe's).
  void settleDivisionMembers(size_t begin);
  // A key result's progress, `actual / target` (`target / actual` for `target below`): its
  // division by `divisor`, whose member is the progress in slot `progress`.
  void noteProgressDivision(const KeyResult& kr, uint32_t divisor, uint32_t progress);

  const Compilation& compilation_;
  const FrameworkDecl& framework_;
  DiagnosticSink& sink_;
  const Member* member_ = nullptr; // the member being planned, and what it has lowered so far
  size_t lowered_ = 0;
  uint32_t choices_ = 0;    // `case` and `if` expressions probed so far (Probe::choice)
  size_t memberProbes_ = 0; // where the probes of the member being planned begin
  size_t depth_ = 0;        // lower() calls open now: the stack the lowering uses
  Plan plan_;
  // The formula stage being filled: the first, or the last one `across` started.
  NodeBuilder firstStage_;
  NodeBuilder* formulas_ = &firstStage_;
  FormulaKernel* kernel_ = &plan_.formulas;
  std::deque<FormulaStage> stages_; // moved to plan_.laterStages at the end
  std::deque<NodeBuilder> stageBuilders_;
  std::map<const CallExpr*, uint32_t> peerSlots_;
  std::map<std::pair<uint32_t, int>, uint32_t> columns_;
  std::map<std::pair<uint32_t, int>, uint32_t> rowSubjects_;
  std::map<std::tuple<uint32_t, uint32_t, uint8_t>, uint32_t> scanIndex_; // table, rows, pass
  // Scans are built in a deque, whose elements never move, since each has a NodeBuilder
  // pointing into it; they move into plan_.scans at the end.
  std::deque<ScanKernel> scans_;
  std::vector<std::unique_ptr<NodeBuilder>> scanBuilders_;
  std::map<std::tuple<uint32_t, AggregateKind, int32_t, int32_t, int32_t>, uint32_t> aggregates_;
  std::map<std::string, uint32_t> runParams_;
  std::map<std::string, uint32_t> strings_;
  std::map<const void*, uint32_t> slots_;       // member, score component -> slot
  std::vector<const DataDecl*> tableDecls_;     // per plan_.tables
  std::vector<const FrameworkDecl*> feedDecls_; // per plan_.feeds
  const DataDecl* members_ = nullptr;           // a group subject's member entity
  // The outputs each member planned, [begin, end) in plan_.outputs, for orderOutputs.
  std::map<const Member*, std::pair<size_t, size_t>> outputsOf_;
  std::map<const void*, std::array<uint32_t, 3>> keyResultSlots_; // actual, target, progress
  std::map<const void*, std::array<uint32_t, 2>> objectiveSlots_; // score, grade
};

RunParamSpec periodParam(RunParamKind kind, const char* name);

} // namespace fulcrum::lower
