// `fulcrum test --coverage`: which of a file's metrics, scores and their components, bands,
// `case` and `if` arms, checks and alerts its tests exercised (as OPA's `opa test --coverage`),
// per file and line, with a total. Read from the plans' probes (runtime/plan/Probes.h) and each
// test run's trace of every subject (runtime/exec/Trace.h). Exercised means, over every subject
// of every test of the framework (on the interpreter, whose results the tests match):
//  - a metric, score, score component or band: it had a value (not missing) for some subject;
//  - an arm of a `case` or `if` (a band's included): some subject took it (its condition true and
//    every earlier one false; an `else` when every condition was false; an arm inside another
//    arm's value only when that arm was taken too);
//  - a check: it was evaluated with its inputs present (true or false, not missing) for some
//    subject; which outcomes were seen (held, violated) is listed;
//  - an alert: it fired for some subject.
#pragma once

#include "runtime/Program.h"

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace fulcrum::testing {

class Coverage {
public:
  // The items of framework `plan.frameworkName` declared in `file` (once per framework: two
  // files may each declare their own `f`; a framework no test runs has all of its items missed).
  void addPlan(const std::string& file, const runtime::Plan& plan);
  // What one test run of it exercised (RunRequest::trace.everySubject and alerts).
  void addRun(const std::string& file, const runtime::Plan& plan, const runtime::RunResult& result);
  // A file that does not compile: listed as having errors, nothing of it counted (as the test
  // report counts its files with errors).
  void addFileWithErrors(const std::string& file);

  // Per item `FILE:LINE:COL  covered|MISSED  what`, per file its count, then the total.
  std::string text() const;
  // {"covered", "total", "files_with_errors", "files": [{"file", "errors" (only when true),
  // "covered", "total", "items": [{"line", "column", "framework", "kind", "member", "what",
  // "covered", "outcomes"}]}]}
  nlohmann::ordered_json json() const;

private:
  struct Item {
    std::string file;
    uint32_t line = 0, column = 0;
    std::string framework, kind, member, what;
    bool covered = false;
    bool held = false, violated = false; // a check's outcomes seen
  };
  std::vector<Item> sorted() const;
  // Per framework (its file and name), per probe: its item, or none (an aggregate's probe is
  // part of a metric's).
  std::map<std::pair<std::string, std::string>, std::vector<int>> itemOf_;
  std::vector<Item> items_;
  std::vector<std::string> filesWithErrors_;
};

} // namespace fulcrum::testing
