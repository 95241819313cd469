// IR generation for a plan's kernels. Each kernel is one function holding its loop (over rows
// for a scan, over subjects for the formulas); in the loop body every node becomes SSA values in
// post-order, a (double value, i1 valid) pair, mirroring Interpreter.cpp case by case. As in the
// interpreter, a missing value is always 0.0. Nothing here sets fast-math flags, and nothing may:
// results must be bit-identical to the interpreter's.
//
// The plan's constants live in a per-program global array the optimiser cannot see through (it
// is externally visible and writable). Were they IR constants, LLVM would fold arithmetic on
// them, and a fold that creates a NaN (inf - inf, 0 * inf) gives +NaN where the CPU, and so the
// interpreter, gives -NaN. The only FP constants left in the IR are 0.0 (missing values, and
// what a sum adds for a row that does not count), 1.0, +-2^62 (day bounds, only compared and
// selected) and 2^63 (a block scan's test for a whole int64 addend, only compared), which cannot
// combine into a NaN.
#include "runtime/jit/Codegen.h"

#include "runtime/exec/ExactSum.h"
#include "runtime/exec/KernelAbi.h"
#include "runtime/jit/CategoryCounts.h"
#include "runtime/jit/Helpers.h"
#include "support/Money.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <fmt/format.h>
#include <functional>
#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace fulcrum::runtime::jit {

namespace {

// KernelArgs' fields in declaration order (runtime/exec/KernelAbi.h), with their C++ offsets;
// generateModule checks that LLVM lays the struct type out the same way.
enum Field : unsigned {
  ColumnValues,
  ColumnValid,
  RowSubjects,
  Rows,
  Subjects,
  SubjectRows,
  RunValues,
  RunValid,
  Accumulators,
  CollectedValues,
  AggregateValues,
  AggregateValid,
  SlotValues,
  SlotValid,
  Scratch,
  TextOrder,
  MatchedRows,
  Holidays,
  FieldCount
};

constexpr size_t kFieldOffsets[FieldCount] = {
    offsetof(KernelArgs, columnValues),    offsetof(KernelArgs, columnValid),
    offsetof(KernelArgs, rowSubjects),     offsetof(KernelArgs, rows),
    offsetof(KernelArgs, subjects),        offsetof(KernelArgs, subjectRows),
    offsetof(KernelArgs, runValues),       offsetof(KernelArgs, runValid),
    offsetof(KernelArgs, accumulators),    offsetof(KernelArgs, collectedValues),
    offsetof(KernelArgs, aggregateValues), offsetof(KernelArgs, aggregateValid),
    offsetof(KernelArgs, slotValues),      offsetof(KernelArgs, slotValid),
    offsetof(KernelArgs, scratch),         offsetof(KernelArgs, textOrder),
    offsetof(KernelArgs, matchedRows),     offsetof(KernelArgs, holidays)};

constexpr const char* kFieldNames[FieldCount] = {
    "columnValues",    "columnValid",    "rowSubjects", "rows",         "subjects",
    "subjectRows",     "runValues",      "runValid",    "accumulators", "collectedValues",
    "aggregateValues", "aggregateValid", "slotValues",  "slotValid",    "scratch",
    "textOrder",       "matchedRows",    "holidays"};

llvm::StructType* kernelArgsType(llvm::LLVMContext& context) {
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  std::vector<llvm::Type*> fields(FieldCount, ptr);
  fields[Rows] = i64;
  fields[Subjects] = i64;
  return llvm::StructType::create(context, fields, "KernelArgs");
}

// A node's result: the value (0.0 when missing) and its validity. A boolean node also keeps its
// truth as an i1 (`value` is then 1.0 or 0.0), so that logic and filters built on it stay in
// integer flags instead of comparing doubles, which x86 code generation turns into branches.
struct Val {
  llvm::Value* value = nullptr;
  llvm::Value* valid = nullptr;
  llvm::Value* truth = nullptr;
};

// The values of a kernel's nodes in the current loop iteration, by node index.
using Values = std::vector<std::optional<Val>>;

// The plan's distinct constants (by bit pattern) and the global array holding them.
struct ConstantPool {
  llvm::GlobalVariable* array = nullptr;
  std::map<uint64_t, uint32_t> index;
};

ConstantPool makeConstantPool(const Plan& plan, llvm::Module& module, const std::string& name) {
  ConstantPool pool;
  std::vector<double> values;
  const auto collect = [&](const std::vector<PNode>& nodes) {
    for (const PNode& n : nodes)
      if (n.op == POp::Const &&
          pool.index.emplace(std::bit_cast<uint64_t>(n.value), static_cast<uint32_t>(values.size()))
              .second)
        values.push_back(n.value);
  };
  for (const ScanKernel& scan : plan.scans)
    collect(scan.nodes);
  collect(plan.formulas.nodes);
  for (const FormulaStage& stage : plan.laterStages)
    collect(stage.kernel.nodes);
  if (values.empty())
    return pool;
  llvm::Constant* init = llvm::ConstantDataArray::get(module.getContext(), values);
  pool.array = new llvm::GlobalVariable(module, init->getType(), /*isConstant=*/false,
                                        llvm::GlobalValue::ExternalLinkage, init, name);
  return pool;
}

class KernelBuilder {
public:
  KernelBuilder(const Plan& plan, llvm::Module& module, llvm::StructType* argsType,
                const ConstantPool& constants)
      : plan_(plan), module_(module), context_(module.getContext()), argsType_(argsType),
        constants_(constants), b_(context_), hoist_(context_) {
    f64_ = b_.getDoubleTy();
    i8_ = b_.getInt8Ty();
    i32_ = b_.getInt32Ty();
    i64_ = b_.getInt64Ty();
    ptr_ = b_.getPtrTy();
    kernelType_ = llvm::FunctionType::get(b_.getVoidTy(), {ptr_}, false);
  }

  // for (row = 0; row < rows; ++row): skip rows without a subject, evaluate every node, then
  // apply every update in order. A block scan (CategoryCounts.h) has a loop of its own.
  void emitScan(const ScanKernel& scan, const std::string& name) {
    const ScanCounters counters = scanCounters(plan_, scan);
    scratchStride_ = counters.perSubject;
    if (counters.blockScan) {
      emitBlockScan(scan, counters, name);
      return;
    }
    llvm::Value* row = beginLoop(name, Rows, "row");
    llvm::Value* subjectAt = b_.CreateInBoundsGEP(i32_, field(RowSubjects), row);
    llvm::Value* subject = b_.CreateSExt(b_.CreateLoad(i32_, subjectAt), i64_, "subject");
    auto* body = llvm::BasicBlock::Create(context_, "row.body", function_);
    b_.CreateCondBr(b_.CreateICmpSGE(subject, b_.getInt64(0)), body, latch_);
    b_.SetInsertPoint(body);
    row_ = row;
    subject_ = subject;
    Values values(scan.nodes.size());
    for (uint32_t i = 0; i < scan.nodes.size(); ++i)
      values[i] = emitNode(scan.nodes, i, values);
    std::vector<bool> counted(scan.updates.size(), false);
    for (const CounterBlock& block : counters.blocks) {
      llvm::Value* at = counterAddress(block, counterOf(scan, counters, block, values));
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, at), b_.getInt64(1)), at);
      flushAfterLoop(scan, block);
      for (size_t u : block.updates)
        counted[u] = true;
    }
    for (const CategoryCounts& group : counters.groups)
      if (!counted[group.updates[0]]) {
        emitCategoryCounts(scan, group, values);
        for (size_t u : group.updates)
          counted[u] = true;
      }
    for (size_t u = 0; u < scan.updates.size(); ++u)
      if (!counted[u])
        emitUpdate(scan.updates[u], u, values);
    // Alert matches: the runtime's fulcrumMatchRow records each row whose filter holds.
    for (const ScanKernel::AlertMatch& match : scan.matches) {
      const Val filter = *values[match.filter];
      ifThen(both(filter.valid, truth(filter)), "match", [&] {
        llvm::Type* args[] = {ptr_, i32_, i64_};
        llvm::FunctionCallee add = module_.getOrInsertFunction(
            kMatchRowSymbol, llvm::FunctionType::get(b_.getVoidTy(), args, false));
        b_.CreateCall(add, {field(MatchedRows), b_.getInt32(match.alert), row_});
      });
    }
    endLoop();
  }

  // for (subject = 0; subject < subjects; ++subject): each assignment evaluates its node range
  // and writes its slot (value 0 when missing). A node evaluated by an earlier assignment keeps
  // its value for later ones, as the interpreter's scratch array does.
  void emitFormulas(const FormulaKernel& kernel, const std::string& name) {
    subject_ = beginLoop(name, Subjects, "subject");
    row_ = nullptr;
    Values values(kernel.nodes.size());
    for (const SlotAssign& assign : kernel.assigns) {
      for (uint32_t i = assign.nodes.begin; i < assign.nodes.end; ++i)
        values[i] = emitNode(kernel.nodes, i, values);
      const Val result = *values[assign.nodes.end - 1];
      llvm::Value* at = perSubjectIndex(assign.slot);
      b_.CreateStore(result.value, b_.CreateInBoundsGEP(f64_, field(SlotValues), at));
      b_.CreateStore(b_.CreateZExt(result.valid, i8_),
                     b_.CreateInBoundsGEP(i8_, field(SlotValid), at));
    }
    endLoop();
  }

private:
  // --- The function and its loop --------------------------------------------------------------

  // Starts kernel `name` with the loop `for (index = 0; index < args->count; ++index)` and
  // leaves the builder in the loop body. Loads that do not change in the loop go to the
  // preheader (see field()).
  llvm::Value* beginLoop(const std::string& name, Field count, const char* indexName) {
    auto* preheader = beginFunction(name, count);
    header_ = llvm::BasicBlock::Create(context_, "loop", function_);
    // Inserted into the function by endLoop, so that they come after the body's blocks.
    latch_ = llvm::BasicBlock::Create(context_, "latch");
    hoist_.SetInsertPoint(b_.CreateBr(header_));
    b_.SetInsertPoint(header_);
    index_ = b_.CreatePHI(i64_, 2, indexName);
    index_->addIncoming(b_.getInt64(0), preheader);
    return index_;
  }

  // Starts kernel `name`: its entry goes to exit_ unless args->count > 0 (and, with `alsoCount`,
  // args->alsoCount > 0 too), else to the preheader returned, where the builder is left.
  llvm::BasicBlock* beginFunction(const std::string& name, Field count,
                                  std::optional<Field> alsoCount = std::nullopt) {
    function_ =
        llvm::Function::Create(kernelType_, llvm::GlobalValue::ExternalLinkage, name, module_);
    args_ = function_->getArg(0);
    args_->setName("args");
    for (auto kind : {llvm::Attribute::NoCapture, llvm::Attribute::ReadOnly,
                      llvm::Attribute::NonNull, llvm::Attribute::NoUndef})
      function_->addParamAttr(0, kind);
    fields_.clear();
    columns_.clear();
    runParams_.clear();
    constantLoads_.clear();

    entry_ = llvm::BasicBlock::Create(context_, "entry", function_);
    auto* preheader = llvm::BasicBlock::Create(context_, "preheader", function_);
    exit_ = llvm::BasicBlock::Create(context_, "exit");

    b_.SetInsertPoint(entry_);
    const auto load = [&](Field f) {
      return fields_[f] =
                 b_.CreateLoad(i64_, b_.CreateStructGEP(argsType_, args_, f), kFieldNames[f]);
    };
    count_ = load(count);
    llvm::Value* any = b_.CreateICmpSGT(count_, b_.getInt64(0));
    if (alsoCount)
      any = b_.CreateAnd(any, b_.CreateICmpSGT(load(*alsoCount), b_.getInt64(0)));
    b_.CreateCondBr(any, preheader, exit_);
    b_.SetInsertPoint(preheader);
    return preheader;
  }

  void endLoop() {
    b_.CreateBr(latch_);
    latch_->insertInto(function_);
    b_.SetInsertPoint(latch_);
    llvm::Value* next = b_.CreateAdd(index_, b_.getInt64(1), "next", true, true);
    auto* done = llvm::BasicBlock::Create(context_, "done", function_);
    b_.CreateCondBr(b_.CreateICmpSLT(next, count_), header_, done);
    index_->addIncoming(next, latch_);
    b_.SetInsertPoint(done);
    finishFunction();
  }

  // From the block after the last row (not reached when there are none): what the loop leaves
  // to finish, then the exit.
  void finishFunction() {
    for (const auto& epilogue : epilogues_)
      epilogue();
    epilogues_.clear();
    b_.CreateBr(exit_);
    exit_->insertInto(function_);
    b_.SetInsertPoint(exit_);
    b_.CreateRetVoid();
  }

  // args->field, loaded once in the preheader: KernelArgs and its arrays of column pointers
  // do not change while a kernel runs.
  llvm::Value* field(Field f) {
    if (auto it = fields_.find(f); it != fields_.end())
      return it->second;
    llvm::Type* type = f == Rows || f == Subjects ? i64_ : ptr_;
    llvm::Value* loaded =
        hoist_.CreateLoad(type, hoist_.CreateStructGEP(argsType_, args_, f), kFieldNames[f]);
    return fields_[f] = loaded;
  }

  // args->columnValues[column] or args->columnValid[column], loaded once in the preheader.
  llvm::Value* columnArray(uint32_t column, bool validity) {
    const auto key = std::make_pair(column, validity);
    if (auto it = columns_.find(key); it != columns_.end())
      return it->second;
    llvm::Value* at = hoist_.CreateConstInBoundsGEP1_64(
        ptr_, field(validity ? ColumnValid : ColumnValues), column);
    llvm::Value* loaded =
        hoist_.CreateLoad(ptr_, at, fmt::format("col{}{}", column, validity ? ".valid" : ""));
    return columns_[key] = loaded;
  }

  // --- Leaves ---------------------------------------------------------------------------------

  // Column `column` at `row`, converted to double by its storage, as loadColumn does.
  llvm::Value* loadColumn(uint32_t column, llvm::Value* row) {
    llvm::Value* values = columnArray(column, false);
    switch (plan_.columns[column].storage) {
    case Storage::F64:
      return b_.CreateLoad(f64_, b_.CreateInBoundsGEP(f64_, values, row));
    case Storage::I32:
      return b_.CreateSIToFP(b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, values, row)), f64_);
    case Storage::U8:
      return b_.CreateUIToFP(b_.CreateLoad(i8_, b_.CreateInBoundsGEP(i8_, values, row)), f64_);
    }
    return zero();
  }

  llvm::Value* loadColumnValid(uint32_t column, llvm::Value* row) {
    if (plan_.columns[column].neverMissing)
      return b_.getTrue();
    llvm::Value* at = b_.CreateInBoundsGEP(i8_, columnArray(column, true), row);
    return b_.CreateICmpNE(b_.CreateLoad(i8_, at), b_.getInt8(0));
  }

  // Run parameter `id`, loaded once in the preheader.
  Val runParam(uint32_t id) {
    if (auto it = runParams_.find(id); it != runParams_.end())
      return it->second;
    llvm::Value* value =
        hoist_.CreateLoad(f64_, hoist_.CreateConstInBoundsGEP1_64(f64_, field(RunValues), id),
                          fmt::format("run{}", id));
    llvm::Value* flag =
        hoist_.CreateLoad(i8_, hoist_.CreateConstInBoundsGEP1_64(i8_, field(RunValid), id));
    llvm::Value* valid = hoist_.CreateICmpNE(flag, hoist_.getInt8(0), fmt::format("run{}.ok", id));
    return runParams_[id] = Val{value, valid};
  }

  // A Const node's value, loaded once in the preheader from the constant pool.
  llvm::Value* constant(double value) {
    const auto bits = std::bit_cast<uint64_t>(value);
    if (auto it = constantLoads_.find(bits); it != constantLoads_.end())
      return it->second;
    const uint32_t index = constants_.index.at(bits);
    llvm::Value* at = hoist_.CreateConstInBoundsGEP1_64(f64_, constants_.array, index);
    return constantLoads_[bits] = hoist_.CreateLoad(f64_, at, fmt::format("k{}", index));
  }

  // RefColumn: column `n.a` at row refs[row] of reference column `n.b`, missing when the
  // reference is missing or negative. The target row is loaded only when there is one.
  Val refColumn(const PNode& n) {
    llvm::Value* refs = columnArray(n.b, false);
    llvm::Value* ref = b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, refs, row_), "ref");
    llvm::Value* present =
        b_.CreateAnd(loadColumnValid(n.b, row_), b_.CreateICmpSGE(ref, b_.getInt32(0)));
    llvm::BasicBlock* before = b_.GetInsertBlock();
    auto* load = llvm::BasicBlock::Create(context_, "ref.load", function_);
    auto* done = llvm::BasicBlock::Create(context_, "ref.done", function_);
    b_.CreateCondBr(present, load, done);
    b_.SetInsertPoint(load);
    llvm::Value* target = b_.CreateSExt(ref, i64_);
    llvm::Value* value = loadColumn(n.a, target);
    llvm::Value* valid = loadColumnValid(n.a, target);
    llvm::BasicBlock* loaded = b_.GetInsertBlock();
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    llvm::PHINode* valuePhi = b_.CreatePHI(f64_, 2);
    valuePhi->addIncoming(zero(), before);
    valuePhi->addIncoming(value, loaded);
    llvm::PHINode* validPhi = b_.CreatePHI(b_.getInt1Ty(), 2);
    validPhi->addIncoming(no(), before);
    validPhi->addIncoming(valid, loaded);
    return {valuePhi, validPhi};
  }

  // index * subjects + subject, the layout of slots and aggregate results.
  llvm::Value* perSubjectIndex(uint32_t index) {
    if (index == 0)
      return subject_;
    return b_.CreateAdd(b_.CreateMul(b_.getInt64(index), field(Subjects)), subject_);
  }

  Val loadPerSubject(Field values, Field valid, uint32_t index) {
    llvm::Value* at = perSubjectIndex(index);
    llvm::Value* value = b_.CreateLoad(f64_, b_.CreateInBoundsGEP(f64_, field(values), at));
    llvm::Value* flag = b_.CreateLoad(i8_, b_.CreateInBoundsGEP(i8_, field(valid), at));
    return {value, b_.CreateICmpNE(flag, b_.getInt8(0))};
  }

  // --- Nodes ----------------------------------------------------------------------------------

  // Operand `index` of node `user`: an operand at or after its user reads as missing, as in the
  // interpreter; checkPlan guarantees the others have a value.
  Val operand(uint32_t index, uint32_t user, const Values& values) {
    return index < user ? *values[index] : missing();
  }

  // Node `i` with its value normalised (0.0 when missing), named n<i> in the IR.
  Val emitNode(const std::vector<PNode>& nodes, uint32_t i, const Values& values) {
    Val r = evaluate(nodes, i, values);
    r.value = choose(r.valid, r.value, zero());
    if (auto* inst = llvm::dyn_cast<llvm::Instruction>(r.value); inst && !inst->hasName())
      inst->setName(fmt::format("n{}", i));
    if (auto* inst = llvm::dyn_cast<llvm::Instruction>(r.valid); inst && !inst->hasName())
      inst->setName(fmt::format("n{}.ok", i));
    return r;
  }

  // `stage == "Won"`: an int32 column (text codes, dates, references) against a whole-number
  // constant compares the raw int32 with an integer constant, no floating point involved. The
  // result is the one the double compare gives, since both sides are exact integers.
  std::optional<Val> compareCodes(const std::vector<PNode>& nodes, const PNode& n, uint32_t i,
                                  const Values& values) {
    if (n.a >= i || n.b >= i || row_ == nullptr)
      return std::nullopt;
    const bool columnFirst = nodes[n.a].op == POp::Column;
    const PNode& column = nodes[columnFirst ? n.a : n.b];
    const PNode& constant = nodes[columnFirst ? n.b : n.a];
    if (column.op != POp::Column || constant.op != POp::Const ||
        plan_.columns[column.a].storage != Storage::I32 ||
        constant.value != static_cast<double>(static_cast<int32_t>(constant.value)))
      return std::nullopt;
    llvm::Value* at = b_.CreateInBoundsGEP(i32_, columnArray(column.a, false), row_);
    llvm::Value* raw = b_.CreateLoad(i32_, at);
    llvm::Value* code = b_.getInt32(static_cast<int32_t>(constant.value));
    llvm::Value* equal = n.op == POp::Eq ? b_.CreateICmpEQ(raw, code) : b_.CreateICmpNE(raw, code);
    return flagged(equal, values[columnFirst ? n.a : n.b]->valid);
  }

  // `day in period` in a scan: an int32 column between two run parameters compares as
  // integers. For a whole number d, lo <= d exactly when ceil(lo) <= d, and d <= hi when
  // d <= floor(hi); the bounds are turned into int64 once, before the loop, clamped far beyond
  // any int32 (a NaN bound admits nothing, as the double compare would).
  std::optional<Val> daysInRange(const std::vector<PNode>& nodes, const PNode& n, uint32_t i,
                                 const Values& values) {
    if (row_ == nullptr || n.a >= i || n.b >= i || n.c >= i || nodes[n.a].op != POp::Column ||
        plan_.columns[nodes[n.a].a].storage != Storage::I32 || nodes[n.b].op != POp::RunParam ||
        nodes[n.c].op != POp::RunParam)
      return std::nullopt;
    // The parameters as loaded before the loop (values[] may hold copies made in the body).
    const Val lo = runParam(nodes[n.b].a), hi = runParam(nodes[n.c].a);
    const auto bound = [&](llvm::Value* value, llvm::Intrinsic::ID round, bool lower) {
      const double far = 4611686018427387904.0; // 2^62
      llvm::Value* whole = hoist_.CreateUnaryIntrinsic(round, value);
      llvm::Value* clamped = hoist_.CreateSelect(
          hoist_.CreateFCmpOLT(whole, llvm::ConstantFP::get(f64_, -far)),
          llvm::ConstantFP::get(f64_, -far),
          hoist_.CreateSelect(hoist_.CreateFCmpOGT(whole, llvm::ConstantFP::get(f64_, far)),
                              llvm::ConstantFP::get(f64_, far), whole));
      llvm::Value* none = llvm::ConstantFP::get(f64_, lower ? far : -far);
      llvm::Value* usable = hoist_.CreateSelect(hoist_.CreateFCmpUNO(value, value), none, clamped);
      return hoist_.CreateFPToSI(usable, i64_);
    };
    llvm::Value* low = bound(lo.value, llvm::Intrinsic::ceil, true);
    llvm::Value* high = bound(hi.value, llvm::Intrinsic::floor, false);
    llvm::Value* at = b_.CreateInBoundsGEP(i32_, columnArray(nodes[n.a].a, false), row_);
    llvm::Value* day = b_.CreateSExt(b_.CreateLoad(i32_, at), i64_);
    llvm::Value* inside = b_.CreateAnd(b_.CreateICmpSLE(low, day), b_.CreateICmpSLE(day, high));
    return flagged(inside, both(both(values[n.a]->valid, lo.valid), hi.valid));
  }

  // For `stage in ("Won", "Lost")`: the raw int32 of column node `value` when every item is a
  // whole-number constant, so the set test is integer compares; null otherwise.
  llvm::Value* rawCodes(const std::vector<PNode>& nodes, uint32_t value, uint32_t user,
                        const std::vector<uint32_t>& items) {
    if (value >= user || row_ == nullptr || nodes[value].op != POp::Column ||
        plan_.columns[nodes[value].a].storage != Storage::I32)
      return nullptr;
    for (uint32_t item : items)
      if (nodes[item].op != POp::Const ||
          nodes[item].value != static_cast<double>(static_cast<int32_t>(nodes[item].value)))
        return nullptr;
    return b_.CreateLoad(i32_,
                         b_.CreateInBoundsGEP(i32_, columnArray(nodes[value].a, false), row_));
  }

  // One node, case by case as Interpreter::evaluate; the value need not be normalised yet.
  Val evaluate(const std::vector<PNode>& nodes, uint32_t i, const Values& values) {
    const PNode& n = nodes[i];
    const auto op = [&](uint32_t index) { return operand(index, i, values); };
    switch (n.op) {
    case POp::Const:
      return {constant(n.value), yes()};
    case POp::Missing:
      return missing();
    case POp::RunParam:
      return runParam(n.a);
    case POp::Column:
      return {loadColumn(n.a, row_), loadColumnValid(n.a, row_)};
    case POp::RefColumn:
      return refColumn(n);
    case POp::SubjectColumn: {
      llvm::Value* at = b_.CreateInBoundsGEP(i32_, field(SubjectRows), subject_);
      llvm::Value* target = b_.CreateSExt(b_.CreateLoad(i32_, at), i64_);
      return {loadColumn(n.a, target), loadColumnValid(n.a, target)};
    }
    case POp::Slot:
      return loadPerSubject(SlotValues, SlotValid, n.a);
    case POp::Aggregate:
      return loadPerSubject(AggregateValues, AggregateValid, n.a);
    case POp::Neg: {
      const Val a = op(n.a);
      return {b_.CreateFNeg(a.value), a.valid};
    }
    // Arithmetic that leaves the doubles (an overflow, a division by zero, 0/0) is missing, as
    // in the interpreter's finiteOrMissing.
    case POp::Add:
    case POp::Sub:
    case POp::Mul:
    case POp::Div:
    case POp::Pow: {
      const Val a = op(n.a), b = op(n.b);
      llvm::Value* value = n.op == POp::Add   ? b_.CreateFAdd(a.value, b.value)
                           : n.op == POp::Sub ? b_.CreateFSub(a.value, b.value)
                           : n.op == POp::Mul ? b_.CreateFMul(a.value, b.value)
                           : n.op == POp::Div ? b_.CreateFDiv(a.value, b.value)
                                              : callPow(a.value, b.value);
      llvm::Value* finite = isFinite(value);
      return {choose(finite, value, zero()), both(both(a.valid, b.valid), finite)};
    }
    case POp::RoundMoney: {
      // As the interpreter: std::round is llvm.round (halves away from zero), and the range
      // test is moneyInRange's.
      const Val a = op(n.a);
      llvm::Value* rounded = b_.CreateUnaryIntrinsic(llvm::Intrinsic::round, a.value);
      llvm::Value* magnitude = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, rounded);
      // A fixed bound, not a plan constant: an immediate, outside the constant pool.
      llvm::Value* inRange =
          b_.CreateFCmpOLE(magnitude, llvm::ConstantFP::get(f64_, kMaxMoneyUnits));
      return {rounded, both(a.valid, inRange)};
    }
    case POp::Eq:
    case POp::Ne:
      if (auto codes = compareCodes(nodes, n, i, values))
        return *codes;
      [[fallthrough]];
    case POp::Lt:
    case POp::Le:
    case POp::Gt:
    case POp::Ge: {
      const Val a = op(n.a), b = op(n.b);
      return flagged(compare(n.op, a.value, b.value), both(a.valid, b.valid));
    }
    case POp::Not: {
      const Val a = op(n.a);
      return flagged(falsity(a), a.valid);
    }
    case POp::And: {
      // False if either side is false, even when the other is missing.
      const Val a = op(n.a), b = op(n.b);
      llvm::Value* aFalse = both(a.valid, falsity(a));
      llvm::Value* bFalse = both(b.valid, falsity(b));
      llvm::Value* anyFalse = either(aFalse, bFalse);
      return flagged(negate(anyFalse), either(anyFalse, both(a.valid, b.valid)));
    }
    case POp::Or: {
      const Val a = op(n.a), b = op(n.b);
      llvm::Value* aTrue = both(a.valid, truth(a));
      llvm::Value* bTrue = both(b.valid, truth(b));
      llvm::Value* anyTrue = either(aTrue, bTrue);
      return flagged(anyTrue, either(anyTrue, both(a.valid, b.valid)));
    }
    case POp::Coalesce: {
      const Val a = op(n.a), b = op(n.b);
      return {choose(a.valid, a.value, b.value), either(a.valid, b.valid)};
    }
    case POp::IsMissing: {
      const Val a = op(n.a);
      return flagged(negate(a.valid), yes());
    }
    case POp::Select: {
      const Val a = op(n.a), b = op(n.b), c = op(n.c);
      llvm::Value* isTrue = truth(a);
      return {choose(isTrue, b.value, c.value), both(a.valid, choose(isTrue, b.valid, c.valid))};
    }
    case POp::InRange: {
      if (auto days = daysInRange(nodes, n, i, values))
        return *days;
      const Val a = op(n.a), lo = op(n.b), hi = op(n.c);
      llvm::Value* inside =
          b_.CreateAnd(b_.CreateFCmpOLE(lo.value, a.value), b_.CreateFCmpOLE(a.value, hi.value));
      return flagged(inside, both(both(a.valid, lo.valid), hi.valid));
    }
    case POp::InSet: {
      const Val a = op(n.a);
      llvm::Value* raw = rawCodes(nodes, n.a, i, n.list);
      llvm::Value* found = no();
      for (uint32_t item : n.list)
        found = either(
            found, raw ? b_.CreateICmpEQ(raw, b_.getInt32(static_cast<int32_t>(nodes[item].value)))
                       : b_.CreateFCmpOEQ(values[item]->value, a.value));
      return flagged(found, a.valid);
    }
    case POp::Clamp: {
      // clampValue: x < lo ? lo : x > hi ? hi : x.
      const Val x = op(n.a), lo = op(n.b), hi = op(n.c);
      llvm::Value* upper = choose(b_.CreateFCmpOGT(x.value, hi.value), hi.value, x.value);
      return {choose(b_.CreateFCmpOLT(x.value, lo.value), lo.value, upper),
              both(both(x.valid, lo.valid), hi.valid)};
    }
    case POp::PeriodFirst:
    case POp::PeriodLast: {
      // periodCodeFirst / periodCodeLast (Plan.h), step by step: each step is exact.
      const Val a = op(n.a);
      llvm::Value* first = b_.CreateUnaryIntrinsic(
          llvm::Intrinsic::floor, b_.CreateFDiv(a.value, llvm::ConstantFP::get(f64_, 1048576.0)));
      if (n.op == POp::PeriodFirst)
        return {first, both(a.valid, isFinite(first))};
      llvm::Value* length =
          b_.CreateFSub(a.value, b_.CreateFMul(first, llvm::ConstantFP::get(f64_, 1048576.0)));
      llvm::Value* last = b_.CreateFAdd(first, length);
      return {last, both(a.valid, isFinite(last))};
    }
    case POp::AddMonths: {
      // A call: the calendar's arithmetic is the interpreter's own C++ (Semantics.h).
      const Val a = op(n.a), months = op(n.b);
      llvm::Value* value =
          b_.CreateCall(module_.getOrInsertFunction(
                            kAddMonthsSymbol, llvm::FunctionType::get(f64_, {f64_, f64_}, false)),
                        {a.value, months.value});
      return {value, both(both(a.valid, months.valid), isFinite(value))};
    }
    case POp::DaysSince: {
      // A date after the as-of day is missing (Interpreter.cpp).
      const Val a = op(n.a), asOf = op(n.b);
      llvm::Value* happened = b_.CreateFCmpOLE(a.value, asOf.value);
      return {b_.CreateFSub(asOf.value, a.value), both(both(a.valid, asOf.valid), happened)};
    }
    case POp::Decay: {
      const Val a = op(n.a), halfLife = op(n.b), asOf = op(n.c);
      llvm::Value* age = b_.CreateFSub(asOf.value, a.value);
      llvm::Value* value = b_.CreateCall(decayFunction(), {age, halfLife.value});
      llvm::Value* positive = b_.CreateFCmpOGT(halfLife.value, zero());
      llvm::Value* happened = b_.CreateFCmpOLE(a.value, asOf.value);
      return {value,
              both(both(both(both(a.valid, halfLife.valid), asOf.valid), positive), happened)};
    }
    case POp::Least:
    case POp::Greatest: {
      // Valid when every item is; the first item, then each strictly smaller (larger) one.
      llvm::Value* value = zero();
      llvm::Value* valid = yes();
      bool first = true;
      for (uint32_t item : n.list) {
        const Val v = *values[item];
        valid = both(valid, v.valid);
        if (first) {
          value = v.value;
          first = false;
          continue;
        }
        llvm::Value* better = n.op == POp::Least ? b_.CreateFCmpOLT(v.value, value)
                                                 : b_.CreateFCmpOGT(v.value, value);
        value = choose(better, v.value, value);
      }
      return {value, valid};
    }
    case POp::WorkingDaysOf: {
      // The runtime's C++ (fulcrumWorkingDays): the holidays are the run's data.
      const Val a = op(n.a);
      llvm::Value* days =
          b_.CreateCall(module_.getOrInsertFunction(
                            kWorkingDaysSymbol, llvm::FunctionType::get(f64_, {ptr_, f64_}, false)),
                        {field(Holidays), a.value});
      return {days, both(a.valid, isFinite(days))}; // NaN: not a period's code
    }
    case POp::TextOrder: {
      // textOrder[code]; a missing text reads entry 0 (the array is never empty) and stays
      // missing.
      const Val a = op(n.a);
      llvm::Value* code = b_.CreateFPToSI(choose(a.valid, a.value, zero()), i64_);
      llvm::Value* place =
          b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, field(TextOrder), code), "text.order");
      return {b_.CreateSIToFP(place, f64_), a.valid};
    }
    default:
      // A function of one number with no case of its own (abs, round, ...): its row's LLVM
      // intrinsic, exact, so it matches the interpreter's C++ function bit for bit.
      if (const llvm::Intrinsic::ID id = intrinsicOf(n.op); id != llvm::Intrinsic::not_intrinsic) {
        const Val a = op(n.a);
        return {b_.CreateUnaryIntrinsic(id, a.value), a.valid};
      }
      break;
    }
    return missing();
  }

  // The intrinsic of a function row of runtime/plan/Functions.def, or not_intrinsic.
  static llvm::Intrinsic::ID intrinsicOf(POp op) {
    switch (op) {
#define FUNCTION(Name, name, alias, minArgs, maxArgs, signature, params, result, missing,          \
                 lowering, evaluate, intrinsic)                                                    \
  case POp::Name:                                                                                  \
    return llvm::Intrinsic::intrinsic;
#include "runtime/plan/Functions.def"
    default:
      return llvm::Intrinsic::not_intrinsic;
    }
  }

  llvm::Value* compare(POp op, llvm::Value* a, llvm::Value* b) {
    switch (op) {
    case POp::Eq:
      return b_.CreateFCmpOEQ(a, b);
    case POp::Ne:
      return b_.CreateFCmpUNE(a, b); // C++ != is true for NaN
    case POp::Lt:
      return b_.CreateFCmpOLT(a, b);
    case POp::Le:
      return b_.CreateFCmpOLE(a, b);
    case POp::Gt:
      return b_.CreateFCmpOGT(a, b);
    default:
      return b_.CreateFCmpOGE(a, b);
    }
  }

  // pow from libm, as std::pow in the interpreter. Not the llvm.pow intrinsic: the optimiser
  // rewrites that for constant operands (pow(x, 2) -> x * x, pow(x, 0.5) -> sqrt,
  // pow(0.5, x) -> exp2(-x)), which can differ from libm in the last bit. `nobuiltin` keeps
  // the call opaque, so it is neither rewritten nor constant-folded.
  llvm::Value* callPow(llvm::Value* base, llvm::Value* exponent) {
    llvm::FunctionCallee pow =
        module_.getOrInsertFunction("pow", llvm::FunctionType::get(f64_, {f64_, f64_}, false));
    llvm::CallInst* call = b_.CreateCall(pow, {base, exponent});
    call->addFnAttr(llvm::Attribute::NoBuiltin);
    return call;
  }

  // std::isfinite: |p| < inf (false for NaN).
  llvm::Value* isFinite(llvm::Value* p) {
    return b_.CreateFCmpOLT(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, p),
                            llvm::ConstantFP::getInfinity(f64_));
  }

  llvm::FunctionCallee decayFunction() {
    return module_.getOrInsertFunction(kDecaySymbol,
                                       llvm::FunctionType::get(f64_, {f64_, f64_}, false));
  }

  // --- Aggregate updates ----------------------------------------------------------------------

  // A row counts when the filter is valid and true; then the update's accumulate.
  void emitUpdate(const AggregateUpdate& update, size_t index, const Values& values) {
    llvm::Value* counts = yes();
    if (update.filter >= 0) {
      const Val filter = *values[update.filter];
      counts = both(filter.valid, truth(filter));
    }
    const Val value = updateValue(update, values);
    if (isAdditive(update.kind)) {
      // Sums and counts add without a branch: a row that does not count adds 0 to the sum's
      // window (and 0.0 to a count), so filters that change from row to row cost no
      // mispredicted branches. Only a value outside the window branches, to the runtime.
      addWithoutBranch(update.kind, update.aggregate, both(counts, value.valid), value.value);
      return;
    }
    ifThen(counts, fmt::format("update{}", index), [&] {
      const Val key = update.orderKey >= 0 ? *values[update.orderKey] : missing();
      accumulate(update.kind, update.aggregate, value, key);
    });
  }

  // A category group without a counter block (CategoryCounts.h): the row's aggregate is picked
  // by integer compares of its code, and the row adds 1.0 to it when it matches a code and P
  // holds, 0.0 otherwise (which leaves a count as it is): no branch.
  void emitCategoryCounts(const ScanKernel& scan, const CategoryCounts& group,
                          const Values& values) {
    llvm::Value* raw = groupCode(scan, group);
    llvm::Value* taken = groupTaken(group, values);
    llvm::Value* aggregate = b_.getInt64(scan.updates[group.updates[0]].aggregate);
    llvm::Value* matched = no();
    for (size_t k = group.updates.size(); k-- > 0;) {
      llvm::Value* is = b_.CreateICmpEQ(raw, b_.getInt32(group.codes[k]));
      aggregate =
          b_.CreateSelect(is, b_.getInt64(scan.updates[group.updates[k]].aggregate), aggregate);
      matched = either(matched, is);
    }
    taken = both(taken, matched);
    llvm::Value* index = b_.CreateAdd(b_.CreateMul(aggregate, field(Subjects)), subject_);
    llvm::Value* at = b_.CreateInBoundsGEP(f64_, field(Accumulators),
                                           b_.CreateMul(index, b_.getInt64(kAccumulatorWidth)));
    b_.CreateStore(b_.CreateFAdd(b_.CreateLoad(f64_, at), b_.CreateUIToFP(taken, f64_)), at);
  }

  // The raw int32 code of a group's column at the current row.
  llvm::Value* groupCode(const ScanKernel& scan, const CategoryCounts& group) {
    const uint32_t column = scan.nodes[group.column].a;
    return b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, columnArray(column, false), row_));
  }

  // Whether a row of a group's codes counts at all: its code is present and P holds.
  llvm::Value* groupTaken(const CategoryCounts& group, const Values& values) {
    llvm::Value* taken = values[group.column]->valid;
    if (group.shared >= 0) {
      const Val shared = *values[static_cast<uint32_t>(group.shared)];
      taken = both(taken, both(shared.valid, truth(shared)));
    }
    return taken;
  }

  // The counter (an i64 in 0..block.width() - 1) the current row adds one to: the counter of the
  // count it counts for, or the block's last one. A consecutive group's is its code minus the
  // lowest code, another group's is picked by integer compares, a single count's is 0 when its
  // filter holds and its value (if it counts values) is present.
  llvm::Value* counterOf(const ScanKernel& scan, const ScanCounters& counters,
                         const CounterBlock& block, const Values& values) {
    llvm::Value* none = b_.getInt64(block.width() - 1);
    if (block.group < 0) {
      const AggregateUpdate& update = scan.updates[block.updates[0]];
      llvm::Value* taken = yes();
      if (update.filter >= 0) {
        const Val filter = *values[update.filter];
        taken = both(filter.valid, truth(filter));
      }
      if (update.value >= 0)
        taken = both(taken, values[update.value]->valid);
      return choose(taken, b_.getInt64(0), none);
    }
    const CategoryCounts& group = counters.groups[static_cast<size_t>(block.group)];
    llvm::Value* raw = groupCode(scan, group);
    llvm::Value* taken = groupTaken(group, values);
    const auto counts = static_cast<int32_t>(group.updates.size());
    llvm::Value* counter = nullptr;
    if (group.consecutive) {
      counter = b_.CreateSub(raw, b_.getInt32(group.low));
      taken = both(taken, b_.CreateICmpULT(counter, b_.getInt32(counts)));
    } else {
      counter = b_.getInt32(counts);
      llvm::Value* matched = no();
      for (int32_t k = counts; k-- > 0;) {
        llvm::Value* is = b_.CreateICmpEQ(raw, b_.getInt32(group.codes[static_cast<size_t>(k)]));
        counter = b_.CreateSelect(is, b_.getInt32(k), counter);
        matched = either(matched, is);
      }
      taken = both(taken, matched);
    }
    return choose(taken, b_.CreateZExt(counter, i64_), none);
  }

  // Index of word `word` of the current subject's scratch words: subject-major, so that one row
  // touches one or two cache lines of scratch whatever its number of counters and sums.
  llvm::Value* scratchIndex(int64_t word) {
    return b_.CreateAdd(b_.CreateMul(subject_, b_.getInt64(scratchStride_)), b_.getInt64(word));
  }

  // Index of counter `counter` of `block` for the current subject in the scratch array.
  llvm::Value* counterIndex(const CounterBlock& block, llvm::Value* counter) {
    return b_.CreateAdd(scratchIndex(block.first), counter);
  }

  llvm::Value* counterAddress(const CounterBlock& block, llvm::Value* counter) {
    return b_.CreateInBoundsGEP(i64_, field(Scratch), counterIndex(block, counter));
  }

  // After the last row: each counter of `block` is added into its aggregate's accumulators by
  // fulcrumJitFlushCounts, the last one (rows that count nowhere) only zeroed.
  void flushAfterLoop(const ScanKernel& scan, const CounterBlock& block) {
    std::vector<int64_t> aggregates;
    for (size_t u : block.updates)
      aggregates.push_back(scan.updates[u].aggregate);
    aggregates.push_back(-1);
    const int64_t first = block.first, stride = scratchStride_;
    epilogues_.push_back([this, aggregates, first, stride] {
      llvm::Type* args[] = {ptr_, i64_, ptr_, i64_, i64_};
      llvm::FunctionCallee flush = module_.getOrInsertFunction(
          kFlushCountsSymbol, llvm::FunctionType::get(b_.getVoidTy(), args, false));
      for (size_t k = 0; k < aggregates.size(); ++k) {
        llvm::Value* counters =
            b_.CreateConstInBoundsGEP1_64(i64_, field(Scratch), static_cast<uint64_t>(first) + k);
        b_.CreateCall(flush, {counters, b_.getInt64(stride), field(Accumulators), field(Subjects),
                              b_.getInt64(aggregates[k])});
      }
    });
  }

  // Rows per block of a block scan: a block's slot arrays (8 bytes a row each) stay within
  // kBlockBytes, so that they stay in L1 between the two loops; at most 1,024 rows, at least 128.
  static constexpr int64_t kMaxBlockRows = 1024;
  static constexpr int64_t kMinBlockRows = 128;
  static constexpr int64_t kBlockBytes = 32 * 1024;

  static int64_t blockRowsFor(size_t slotArrays) {
    int64_t rows = kMaxBlockRows;
    while (rows > kMinBlockRows && rows * 8 * static_cast<int64_t>(slotArrays) > kBlockBytes)
      rows /= 2;
    return rows;
  }

  // The per-row arrays of a block scan's block of rows: for each counter block the index of the
  // counter the row adds one to; for each sum entry the index of the int64 words it adds to (-1:
  // the value is not whole, added into the exact window instead) and the addend (the whole value,
  // or the value's bits); for each minimum or maximum the row's subject (-1: the row does not
  // count) and the value's bits.
  struct BlockSlots {
    std::vector<llvm::Value*> counters;
    std::vector<std::pair<llvm::Value*, llvm::Value*>> sums, extremes;
  };

  // A block scan (CategoryCounts.h), rows taken blockRowsFor(...) at a time:
  //   for each row of the block: its slots (BlockSlots; a row without a subject: subject 0's
  //     last counter and a sum's addend 0, which count nothing); straight-line code over the
  //     row's columns, which the loop vectoriser widens;
  //   for each row of the block: ++scratch[counter index] for every counter block, the addend
  //     into every sum entry (a value that is not whole into its exact window), the value into
  //     every minimum or maximum it improves, in row order as the row loop would.
  // Then the counters and sum entries are flushed. Nothing to do without rows or subjects (with
  // no subject no row has one, and scratch is empty).
  void emitBlockScan(const ScanKernel& scan, const ScanCounters& counters,
                     const std::string& name) {
    llvm::BasicBlock* preheader = beginFunction(name, Rows, Subjects);
    const int64_t blockRows = blockRowsFor(counters.blocks.size() +
                                           2 * (counters.sums.size() + counters.extremes.size()));
    // The slot arrays, in the entry block (fixed-size stack objects).
    BlockSlots slots;
    {
      llvm::IRBuilder<> entry(entry_, entry_->begin());
      unsigned made = 0;
      const auto array = [&] {
        return entry.CreateAlloca(llvm::ArrayType::get(i64_, static_cast<uint64_t>(blockRows)),
                                  nullptr, fmt::format("slots{}", made++));
      };
      for (size_t b = 0; b < counters.blocks.size(); ++b)
        slots.counters.push_back(array());
      for (size_t k = 0; k < counters.sums.size(); ++k)
        slots.sums.emplace_back(array(), array());
      for (size_t k = 0; k < counters.extremes.size(); ++k)
        slots.extremes.emplace_back(array(), array());
    }
    auto* outer = llvm::BasicBlock::Create(context_, "block", function_);
    auto* fill = llvm::BasicBlock::Create(context_, "block.fill", function_);
    hoist_.SetInsertPoint(b_.CreateBr(outer));

    b_.SetInsertPoint(outer);
    llvm::PHINode* start = b_.CreatePHI(i64_, 2, "block.start");
    start->addIncoming(b_.getInt64(0), preheader);
    llvm::Value* end = b_.CreateBinaryIntrinsic(
        llvm::Intrinsic::smin, b_.CreateAdd(start, b_.getInt64(blockRows), "", true, true), count_,
        nullptr, "block.end");
    llvm::Value* rowsInBlock = b_.CreateSub(end, start, "block.rows", true, true);
    b_.CreateBr(fill);

    b_.SetInsertPoint(fill);
    llvm::PHINode* i = b_.CreatePHI(i64_, 2, "i");
    i->addIncoming(b_.getInt64(0), outer);
    row_ = b_.CreateAdd(start, i, "row", true, true);
    llvm::Value* raw = b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, field(RowSubjects), row_));
    llvm::Value* has = b_.CreateICmpSGE(raw, b_.getInt32(0));
    subject_ = b_.CreateZExt(b_.CreateSelect(has, raw, b_.getInt32(0)), i64_, "subject");
    Values values(scan.nodes.size());
    for (uint32_t n = 0; n < scan.nodes.size(); ++n)
      values[n] = emitNode(scan.nodes, n, values);
    const auto store = [&](llvm::Value* slot, llvm::Value* v) {
      b_.CreateStore(v, b_.CreateInBoundsGEP(i64_, slot, i));
    };
    for (size_t b = 0; b < counters.blocks.size(); ++b) {
      const CounterBlock& block = counters.blocks[b];
      llvm::Value* counter =
          choose(has, counterOf(scan, counters, block, values), b_.getInt64(block.width() - 1));
      store(slots.counters[b], counterIndex(block, counter));
      flushAfterLoop(scan, block);
    }
    for (size_t k = 0; k < counters.sums.size(); ++k) {
      const SumEntry& sum = counters.sums[k];
      llvm::Value* taken = both(has, takes(scan.updates[sum.update], values));
      llvm::Value* x = choose(taken, updateValue(scan.updates[sum.update], values).value, zero());
      // Whole and below 2^63 in magnitude: exactly an int64 (the conversion only sees such x).
      llvm::Value* inRange =
          b_.CreateFCmpOLT(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), f64(0x1p63));
      llvm::Value* integer = b_.CreateFPToSI(choose(inRange, x, zero()), i64_);
      llvm::Value* whole = both(inRange, b_.CreateFCmpOEQ(b_.CreateSIToFP(integer, f64_), x));
      llvm::Value* entry = b_.CreateAdd(
          scratchIndex(sum.first),
          sum.avg ? choose(taken, b_.getInt64(0), b_.getInt64(sum.width() / 2)) : b_.getInt64(0));
      store(slots.sums[k].first, choose(whole, entry, b_.getInt64(-1)));
      store(slots.sums[k].second, choose(whole, integer, b_.CreateBitCast(x, i64_)));
      flushSumAfterLoop(scan, sum);
    }
    for (size_t k = 0; k < counters.extremes.size(); ++k) {
      const AggregateUpdate& update = scan.updates[counters.extremes[k]];
      llvm::Value* taken = both(has, takes(update, values));
      store(slots.extremes[k].first, choose(taken, subject_, b_.getInt64(-1)));
      store(slots.extremes[k].second, b_.CreateBitCast(updateValue(update, values).value, i64_));
    }
    llvm::Value* nextI = b_.CreateAdd(i, b_.getInt64(1), "i.next", true, true);
    auto* add = llvm::BasicBlock::Create(context_, "block.add", function_);
    b_.CreateCondBr(b_.CreateICmpSLT(nextI, rowsInBlock), fill, add);
    i->addIncoming(nextI, b_.GetInsertBlock());

    b_.SetInsertPoint(add);
    llvm::PHINode* j = b_.CreatePHI(i64_, 2, "j");
    j->addIncoming(b_.getInt64(0), fill);
    const auto slotAt = [&](llvm::Value* slot) {
      return b_.CreateLoad(i64_, b_.CreateInBoundsGEP(i64_, slot, j));
    };
    for (llvm::Value* slot : slots.counters) {
      llvm::Value* at = b_.CreateInBoundsGEP(i64_, field(Scratch), slotAt(slot));
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, at), b_.getInt64(1)), at);
    }
    for (size_t k = 0; k < counters.sums.size(); ++k)
      addSumSlot(scan, counters.sums[k], slotAt(slots.sums[k].first), slotAt(slots.sums[k].second),
                 b_.CreateAdd(start, j, "", true, true));
    for (size_t k = 0; k < counters.extremes.size(); ++k) {
      const AggregateUpdate& update = scan.updates[counters.extremes[k]];
      llvm::Value* subject = slotAt(slots.extremes[k].first);
      llvm::Value* x = b_.CreateBitCast(slotAt(slots.extremes[k].second), f64_);
      ifThen(b_.CreateICmpSGE(subject, b_.getInt64(0)), "extreme", [&] {
        subject_ = subject;
        accumulate(update.kind, update.aggregate, Val{x, yes()}, missing());
      });
    }
    llvm::Value* nextJ = b_.CreateAdd(j, b_.getInt64(1), "j.next", true, true);
    auto* next = llvm::BasicBlock::Create(context_, "block.next", function_);
    b_.CreateCondBr(b_.CreateICmpSLT(nextJ, rowsInBlock), add, next);
    j->addIncoming(nextJ, b_.GetInsertBlock());

    b_.SetInsertPoint(next);
    auto* done = llvm::BasicBlock::Create(context_, "done", function_);
    b_.CreateCondBr(b_.CreateICmpSLT(end, count_), outer, done);
    start->addIncoming(end, next);
    b_.SetInsertPoint(done);
    finishFunction();
  }

  // Whether the current row counts for `update`: its filter holds and its value (if any) is
  // present.
  llvm::Value* takes(const AggregateUpdate& update, const Values& values) {
    llvm::Value* taken = yes();
    if (update.filter >= 0) {
      const Val filter = *values[update.filter];
      taken = both(filter.valid, truth(filter));
    }
    return both(taken, updateValue(update, values).valid);
  }

  // The value `update` aggregates at the current row: its node's, or 1 (a count of rows).
  Val updateValue(const AggregateUpdate& update, const Values& values) {
    return update.value >= 0 ? *values[update.value] : Val{f64(1), yes()};
  }

  // A row's sum slot (BlockSlots) applied: a whole addend (`entry` >= 0, nearly always) is added
  // to the 128-bit integer at scratch[entry] (and an average's count beside it, one); any other
  // value goes into the aggregate's exact window for the row's subject (addExactly, with its
  // escapes), and an average's count in the block's fourth double, as addWithoutBranch does.
  void addSumSlot(const ScanKernel& scan, const SumEntry& sum, llvm::Value* entry,
                  llvm::Value* addend, llvm::Value* row) {
    const AggregateUpdate& update = scan.updates[sum.update];
    auto* whole = llvm::BasicBlock::Create(context_, "sum.whole", function_);
    auto* other = llvm::BasicBlock::Create(context_, "sum.other", function_);
    auto* done = llvm::BasicBlock::Create(context_, "sum.done", function_);
    b_.CreateCondBr(b_.CreateICmpSGE(entry, b_.getInt64(0)), whole, other,
                    llvm::MDBuilder(context_).createLikelyBranchWeights());
    b_.SetInsertPoint(whole);
    llvm::Type* i128 = b_.getInt128Ty();
    llvm::Value* at = b_.CreateInBoundsGEP(i64_, field(Scratch), entry);
    b_.CreateAlignedStore(
        b_.CreateAdd(b_.CreateAlignedLoad(i128, at, llvm::Align(8)), b_.CreateSExt(addend, i128)),
        at, llvm::Align(8));
    if (sum.avg) {
      llvm::Value* count = b_.CreateConstInBoundsGEP1_64(i64_, at, 2);
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, count), b_.getInt64(1)), count);
    }
    b_.CreateBr(done);
    b_.SetInsertPoint(other);
    subject_ = b_.CreateSExt(
        b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, field(RowSubjects), row)), i64_, "subject");
    addWithoutBranch(update.kind, update.aggregate, yes(), b_.CreateBitCast(addend, f64_));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }

  // After the last row: each subject's entry of `sum` is added into its aggregate's exact window
  // (and an average's count into its count) by fulcrumJitFlushSums.
  void flushSumAfterLoop(const ScanKernel& scan, const SumEntry& sum) {
    const int64_t aggregate = scan.updates[sum.update].aggregate, first = sum.first,
                  stride = scratchStride_, width = sum.width(), avg = sum.avg ? 1 : 0;
    epilogues_.push_back([this, aggregate, first, stride, width, avg] {
      llvm::Type* args[] = {ptr_, i64_, i64_, ptr_, i64_, i64_, i64_};
      llvm::FunctionCallee flush = module_.getOrInsertFunction(
          kFlushSumsSymbol, llvm::FunctionType::get(b_.getVoidTy(), args, false));
      llvm::Value* entries =
          b_.CreateConstInBoundsGEP1_64(i64_, field(Scratch), static_cast<uint64_t>(first));
      b_.CreateCall(flush, {entries, b_.getInt64(stride), b_.getInt64(width), field(Accumulators),
                            field(Subjects), b_.getInt64(aggregate), b_.getInt64(avg)});
    });
  }

  static bool isAdditive(AggregateKind kind) {
    return kind == AggregateKind::Sum || kind == AggregateKind::Count || kind == AggregateKind::Avg;
  }

  // Count: acc[0] += taken. Sum and Avg: exactSumAdd (runtime/exec/ExactSum.h) of
  // `taken ? value : 0.0` into the 192-bit window at acc[0..2], or fulcrumEscapeSum for a value
  // outside it; Avg also acc[3] += taken. Counts add the flag as a number, 1.0 or 0.0: they
  // start at 0.0 and stay whole, so adding 0.0 changes nothing, and the conversion needs no
  // branch.
  void addWithoutBranch(AggregateKind kind, uint32_t aggregate, llvm::Value* taken,
                        llvm::Value* value) {
    llvm::Value* block = b_.CreateInBoundsGEP(
        f64_, field(Accumulators),
        b_.CreateMul(perSubjectIndex(aggregate), b_.getInt64(kAccumulatorWidth)), "acc");
    const auto addCount = [&](unsigned k) {
      llvm::Value* at = b_.CreateConstInBoundsGEP1_64(f64_, block, k);
      b_.CreateStore(b_.CreateFAdd(b_.CreateLoad(f64_, at), b_.CreateUIToFP(taken, f64_)), at);
    };
    if (kind == AggregateKind::Count) {
      addCount(0);
      return;
    }
    addExactly(aggregate, block, choose(taken, value, zero()));
    if (kind == AggregateKind::Avg)
      addCount(3);
  }

  // exactSumAdd(block, x) inline: x = +-significand * 2^(field - 1075) adds
  // +-(significand << (field - 979)) to the window when that shift is 0..107; zero adds nothing;
  // any other x (tiny, huge, subnormal, not finite) goes to fulcrumEscapeSum, on a branch that
  // real data almost never takes.
  void addExactly(uint32_t aggregate, llvm::Value* block, llvm::Value* x) {
    llvm::Type* window = b_.getIntNTy(64 * kExactSumWords);
    llvm::Value* bits = b_.CreateBitCast(x, i64_, "sum.bits");
    llvm::Value* exponentField =
        b_.CreateAnd(b_.CreateLShr(bits, b_.getInt64(52)), b_.getInt64(0x7ff));
    llvm::Value* shift = b_.CreateSub(exponentField, b_.getInt64(kExactSumLowestExponentField));
    llvm::Value* inWindow = b_.CreateICmpULE(shift, b_.getInt64(kExactSumMaxShift), "sum.in");
    llvm::Value* isZero = b_.CreateICmpEQ(b_.CreateShl(bits, b_.getInt64(1)), b_.getInt64(0));
    llvm::Value* significand = b_.CreateOr(b_.CreateAnd(bits, b_.getInt64((int64_t{1} << 52) - 1)),
                                           b_.getInt64(int64_t{1} << 52));
    // Outside the window (zero included) the addend is 0: a zero significand, shifted by 0.
    significand = b_.CreateSelect(inWindow, significand, b_.getInt64(0));
    // significand << shift as an i192 without a variable i192 shift (which x86 expands through
    // the stack): an i128 shift by shift % 64, then moved up one word when shift >= 64.
    llvm::Type* i128 = b_.getInt128Ty();
    llvm::Value* shifted = b_.CreateShl(b_.CreateZExt(significand, i128),
                                        b_.CreateZExt(b_.CreateAnd(shift, b_.getInt64(63)), i128));
    llvm::Value* low = b_.CreateZExt(shifted, window);
    llvm::Value* magnitude =
        b_.CreateSelect(b_.CreateICmpUGE(shift, b_.getInt64(64)),
                        b_.CreateShl(low, llvm::ConstantInt::get(window, 64)), low);
    // Negative: the two's complement, (m ^ -1) - (-1); positive: (m ^ 0) - 0.
    llvm::Value* sign = b_.CreateSExt(b_.CreateAShr(bits, b_.getInt64(63)), window);
    llvm::Value* addend = b_.CreateSub(b_.CreateXor(magnitude, sign), sign);
    b_.CreateAlignedStore(b_.CreateAdd(b_.CreateAlignedLoad(window, block, llvm::Align(8)), addend),
                          block, llvm::Align(8));
    llvm::Value* escapes =
        b_.CreateAnd(b_.CreateNot(inWindow), b_.CreateNot(isZero), "sum.escapes");
    auto* then = llvm::BasicBlock::Create(context_, "escape", function_);
    auto* done = llvm::BasicBlock::Create(context_, "escape.end", function_);
    b_.CreateCondBr(escapes, then, done, llvm::MDBuilder(context_).createUnlikelyBranchWeights());
    b_.SetInsertPoint(then);
    llvm::Type* args[] = {ptr_, i32_, i64_, f64_};
    b_.CreateCall(module_.getOrInsertFunction(kEscapeSumSymbol,
                                              llvm::FunctionType::get(b_.getVoidTy(), args, false)),
                  {field(CollectedValues), b_.getInt32(aggregate), subject_, x});
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }

  // The traits' update (runtime/exec/AggregateTraits.h), on the block
  // accumulators[(aggregate * subjects + subject) * kAccumulatorWidth + k].
  void accumulate(AggregateKind kind, uint32_t aggregate, const Val& value, const Val& key) {
    llvm::Value* block = b_.CreateInBoundsGEP(
        f64_, field(Accumulators),
        b_.CreateMul(perSubjectIndex(aggregate), b_.getInt64(kAccumulatorWidth)), "acc");
    const auto at = [&](unsigned k) { return b_.CreateConstInBoundsGEP1_64(f64_, block, k); };
    const auto load = [&](unsigned k) { return b_.CreateLoad(f64_, at(k)); };
    const auto store = [&](unsigned k, llvm::Value* v) { b_.CreateStore(v, at(k)); };
    switch (kind) {
    case AggregateKind::Sum:
    case AggregateKind::Count:
    case AggregateKind::Avg:
      return; // added without a branch (addWithoutBranch), never here
    case AggregateKind::CountDistinct:
    case AggregateKind::Median:
      // Aggregates that keep their values: the runtime's fulcrumCollectValue keeps each valid one.
      ifThen(value.valid, "collect", [&] {
        llvm::Type* args[] = {ptr_, i32_, i64_, f64_};
        llvm::FunctionCallee add = module_.getOrInsertFunction(
            kCollectValueSymbol, llvm::FunctionType::get(b_.getVoidTy(), args, false));
        b_.CreateCall(add, {field(CollectedValues), b_.getInt32(aggregate), subject_, value.value});
      });
      return;
    case AggregateKind::Min:
    case AggregateKind::Max:
      // acc[0] = value when none seen yet (acc[1] == 0) or it is a new extreme; acc[1] = 1.
      replaceIfBetter(block, value.valid, kind == AggregateKind::Min ? "min" : "max", value.value,
                      kind == AggregateKind::Min ? llvm::CmpInst::FCMP_OLT
                                                 : llvm::CmpInst::FCMP_OGT,
                      1, [](llvm::Value*) {});
      return;
    case AggregateKind::First:
    case AggregateKind::Last:
      // Rows with a missing key are skipped. First takes a strictly smaller key (the earliest
      // row wins ties), Last a larger or equal one (the latest row wins); the value (0 when
      // missing) and its validity go with the key.
      replaceIfBetter(block, key.valid, kind == AggregateKind::First ? "first" : "last", key.value,
                      kind == AggregateKind::First ? llvm::CmpInst::FCMP_OLT
                                                   : llvm::CmpInst::FCMP_OGE,
                      3, [&](llvm::Value* take) {
                        store(1, choose(take, value.value, load(1)));
                        store(2, choose(take, choose(value.valid, f64(1), zero()), load(2)));
                      });
      return;
    }
  }

  // When `present`: block[0] takes `candidate` if nothing is seen yet (block[seen] == 0) or
  // `better(candidate, block[0])`, `alongside(take)` stores the words that go with it, and
  // block[seen] = 1.
  void replaceIfBetter(llvm::Value* block, llvm::Value* present, const char* name,
                       llvm::Value* candidate, llvm::CmpInst::Predicate better, unsigned seen,
                       const std::function<void(llvm::Value*)>& alongside) {
    const auto at = [&](unsigned k) { return b_.CreateConstInBoundsGEP1_64(f64_, block, k); };
    ifThen(present, name, [&] {
      llvm::Value* best = b_.CreateLoad(f64_, at(0));
      llvm::Value* improves = b_.CreateFCmp(better, candidate, best);
      llvm::Value* none = b_.CreateFCmpOEQ(b_.CreateLoad(f64_, at(seen)), zero());
      llvm::Value* take = either(none, improves);
      b_.CreateStore(choose(take, candidate, best), at(0));
      alongside(take);
      b_.CreateStore(f64(1), at(seen));
    });
  }

  // if (condition) body(); with the builder after the if. A constant condition emits no branch.
  void ifThen(llvm::Value* condition, const std::string& name, const std::function<void()>& body) {
    if (auto* constant = llvm::dyn_cast<llvm::ConstantInt>(condition)) {
      if (constant->isOne())
        body();
      return;
    }
    auto* then = llvm::BasicBlock::Create(context_, name, function_);
    auto* done = llvm::BasicBlock::Create(context_, name + ".end", function_);
    b_.CreateCondBr(condition, then, done);
    b_.SetInsertPoint(then);
    body();
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }

  // --- Small helpers, folding constant i1s so the unoptimised IR stays readable ---------------

  llvm::Value* f64(double v) {
    return llvm::ConstantFP::get(f64_, v);
  }
  llvm::Value* zero() {
    return f64(0.0);
  }
  llvm::Value* yes() {
    return b_.getTrue();
  }
  llvm::Value* no() {
    return b_.getFalse();
  }
  Val missing() {
    return {zero(), no()};
  }
  // A boolean node's result: 1.0 or 0.0, with the flag kept as its truth.
  Val flagged(llvm::Value* flag, llvm::Value* valid) {
    return {choose(flag, f64(1), zero()), valid, flag};
  }
  // Whether a value counts as true (non-zero) or false (zero), as the interpreter tests it.
  llvm::Value* truth(const Val& v) {
    return v.truth ? v.truth : b_.CreateFCmpUNE(v.value, zero());
  }
  llvm::Value* falsity(const Val& v) {
    return v.truth ? negate(v.truth) : b_.CreateFCmpOEQ(v.value, zero());
  }
  llvm::Value* negate(llvm::Value* flag) {
    if (auto* constant = llvm::dyn_cast<llvm::ConstantInt>(flag))
      return b_.getInt1(constant->isZero());
    return b_.CreateNot(flag);
  }

  static bool isTrue(llvm::Value* v) {
    auto* c = llvm::dyn_cast<llvm::ConstantInt>(v);
    return c && c->isOne();
  }
  static bool isFalse(llvm::Value* v) {
    auto* c = llvm::dyn_cast<llvm::ConstantInt>(v);
    return c && c->isZero();
  }

  llvm::Value* both(llvm::Value* x, llvm::Value* y) {
    if (isTrue(x) || isFalse(y))
      return y;
    if (isTrue(y) || isFalse(x))
      return x;
    return b_.CreateAnd(x, y);
  }

  llvm::Value* either(llvm::Value* x, llvm::Value* y) {
    if (isFalse(x) || isTrue(y))
      return y;
    if (isFalse(y) || isTrue(x))
      return x;
    return b_.CreateOr(x, y);
  }

  llvm::Value* choose(llvm::Value* condition, llvm::Value* ifTrue, llvm::Value* ifFalse) {
    if (isTrue(condition) || ifTrue == ifFalse)
      return ifTrue;
    if (isFalse(condition))
      return ifFalse;
    return b_.CreateSelect(condition, ifTrue, ifFalse);
  }

  const Plan& plan_;
  llvm::Module& module_;
  llvm::LLVMContext& context_;
  llvm::StructType* argsType_;
  const ConstantPool& constants_;
  llvm::IRBuilder<> b_;     // the loop body
  llvm::IRBuilder<> hoist_; // the preheader: loads that do not change in the loop
  llvm::Type* f64_ = nullptr;
  llvm::Type* i8_ = nullptr;
  llvm::Type* i32_ = nullptr;
  llvm::Type* i64_ = nullptr;
  llvm::Type* ptr_ = nullptr;
  llvm::FunctionType* kernelType_ = nullptr;

  // The kernel being built.
  llvm::Function* function_ = nullptr;
  llvm::Argument* args_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  llvm::BasicBlock* header_ = nullptr;
  llvm::BasicBlock* latch_ = nullptr;
  llvm::BasicBlock* exit_ = nullptr;
  llvm::PHINode* index_ = nullptr;
  llvm::Value* count_ = nullptr;
  llvm::Value* row_ = nullptr;     // scans
  llvm::Value* subject_ = nullptr; // the current row's subject, or the formulas' subject
  int64_t scratchStride_ = 0;      // scratch words per subject of the scan being built
  std::map<Field, llvm::Value*> fields_;
  std::map<std::pair<uint32_t, bool>, llvm::Value*> columns_;
  std::map<uint32_t, Val> runParams_;
  std::map<uint64_t, llvm::Value*> constantLoads_;
  std::vector<std::function<void()>> epilogues_; // run by endLoop after the last row
};

} // namespace

std::unique_ptr<llvm::Module> generateModule(const Plan& plan, const KernelNames& names,
                                             llvm::LLVMContext& context,
                                             const llvm::DataLayout& layout,
                                             const llvm::Triple& triple, std::string& error,
                                             const KernelSelection& only) {
  auto module = std::make_unique<llvm::Module>(names.prefix, context);
  module->setDataLayout(layout);
  module->setTargetTriple(triple.str());

  llvm::StructType* argsType = kernelArgsType(context);
  // The module's own copy of the layout: DataLayout caches struct layouts without a lock, so the
  // JIT's shared one must not be asked from several compiling threads at once.
  const llvm::StructLayout* argsLayout = module->getDataLayout().getStructLayout(argsType);
  for (unsigned f = 0; f < FieldCount; ++f)
    if (argsLayout->getElementOffset(f) != kFieldOffsets[f]) {
      error = fmt::format("KernelArgs::{} is at offset {} in C++ but {} in LLVM", kFieldNames[f],
                          kFieldOffsets[f], argsLayout->getElementOffset(f));
      return nullptr;
    }

  const ConstantPool constants = makeConstantPool(plan, *module, names.constants());
  KernelBuilder builder(plan, *module, argsType, constants);
  for (size_t s = 0; s < plan.scans.size(); ++s)
    if (!only || only(names.scan(s)))
      builder.emitScan(plan.scans[s], names.scan(s));
  for (size_t stage = 0; stage <= plan.laterStages.size(); ++stage)
    if (!only || only(names.formulas(stage)))
      builder.emitFormulas(formulaKernel(plan, stage), names.formulas(stage));
  return module;
}

} // namespace fulcrum::runtime::jit
