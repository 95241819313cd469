// Program::create: the program of a plan and of every framework it reads (Plan::feeds, and
// theirs), each distinct one made once, their engines made side by side.
//
// A framework read along several paths (a review reading the company's, the teams' and the reps'
// OKRs, where the reps' read the teams' and the teams' the company's) is one program, shared:
// every plan of one tree comes from one compilation, where a framework's name is its identity
// (and its plan's dump is compared too). Making an engine is the costly part (the JIT compiles),
// so the engines of the distinct plans are made on up to one thread per core; results do not
// depend on it, since each engine is made from its plan alone.
#include "runtime/Program.h"
#include "support/Threads.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <fmt/format.h>
#include <functional>
#include <map>

namespace fulcrum::runtime {

namespace {

// The tree's distinct plans, the root first, then each feed the first time a walk in Plan::feeds'
// order meets it (so the first failure reported is the one the old, recursive, order met first).
struct PlanTree {
  std::vector<const Plan*> plans;
  std::map<std::string, size_t> index; // by identity()
  // Per plan, its feeds' indexes into `plans`, in Plan::feeds' order.
  std::vector<std::vector<size_t>> feeds;

  static std::string identity(const Plan& plan) {
    return plan.frameworkName + '\n' + dumpPlan(plan);
  }

  size_t add(const Plan& plan) {
    const std::string key = identity(plan);
    if (auto found = index.find(key); found != index.end())
      return found->second;
    const size_t at = plans.size();
    index.emplace(key, at);
    plans.push_back(&plan);
    feeds.emplace_back();
    for (const FeedSpec& feed : plan.feeds) {
      const size_t feedAt = add(*feed.plan);
      feeds[at].push_back(feedAt);
    }
    return at;
  }
};

// One plan's engine and what its program should warn of, or why there is none.
struct MadeEngine {
  std::unique_ptr<Engine> engine;
  std::vector<std::string> warnings;
  std::string error;
};

MadeEngine makeEngineFor(const Plan& plan, EngineKind kind) {
  MadeEngine made;
  made.engine = makeEngine(plan, kind, made.error);
  if (!made.engine && kind == EngineKind::Jit) {
    // The interpreter gives the same results, only slower: a JIT failure is not the user's.
    made.warnings.push_back(fmt::format("the JIT could not compile this framework ({}); running "
                                        "it with the interpreter",
                                        made.error));
    made.error.clear();
    made.engine = makeEngine(plan, EngineKind::Interpreter, made.error);
  }
  if (!made.engine)
    return made;
  if (std::string engineNote = engineWarning(kind); !engineNote.empty())
    made.warnings.push_back(std::move(engineNote));
  return made;
}

// The engines of `plans`, made on up to one thread per core (the interpreter's, which cost
// nothing to make, on this thread). An exception in a worker is rethrown here.
std::vector<MadeEngine> makeEngines(const std::vector<const Plan*>& plans, EngineKind kind) {
  std::vector<MadeEngine> made(plans.size());
  const size_t workers =
      kind == EngineKind::Interpreter ? 1 : std::min<size_t>(plans.size(), threadsFor(0));
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> failures(workers);
  auto work = [&](size_t worker) {
    try {
      for (size_t i = next++; i < plans.size(); i = next++)
        made[i] = makeEngineFor(*plans[i], kind);
    } catch (...) {
      failures[worker] = std::current_exception();
      next = plans.size(); // the others stop after their current plan
    }
  };
  onThreads(workers, work);
  for (const std::exception_ptr& failure : failures)
    if (failure)
      std::rethrow_exception(failure);
  return made;
}

} // namespace

std::unique_ptr<Program> Program::create(std::unique_ptr<Plan> plan, EngineKind engine,
                                         std::string& error) {
  PlanTree tree;
  tree.add(*plan);
  std::vector<MadeEngine> engines = makeEngines(tree.plans, engine);
  for (const MadeEngine& made : engines)
    if (!made.engine) {
      error = made.error;
      return nullptr;
    }
  // Each program is put together after the feeds it reads (there are no cycles: the checker
  // refuses them); a feed met again is the program already made.
  std::vector<std::shared_ptr<const Program>> feeds(tree.plans.size());
  std::function<void(Program&, size_t)> assemble = [&](Program& program, size_t at) {
    program.engine_ = std::move(engines[at].engine);
    program.warnings_ = std::move(engines[at].warnings);
    for (const size_t feed : tree.feeds[at]) {
      if (!feeds[feed]) {
        std::shared_ptr<Program> made(new Program());
        made->plan_ = std::make_unique<Plan>(*tree.plans[feed]);
        assemble(*made, feed);
        feeds[feed] = std::move(made);
      }
      program.feeds_.push_back(feeds[feed]);
    }
  };
  std::unique_ptr<Program> root(new Program());
  assemble(*root, 0);
  root->plan_ = std::move(plan);
  return root;
}

} // namespace fulcrum::runtime
