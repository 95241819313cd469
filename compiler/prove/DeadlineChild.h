// A question answered in a child process that is killed at its deadline (internal to
// compiler/prove/). Z3's timeout is a flag its search looks at now and then; some of its
// nonlinear procedures do not look for minutes (prove_soundness seeds 5472, 8306 and 9456: a
// rows search with `order by (d_owner.level * d_money3)` ran on for an hour past a 2,000 ms
// timeout). A forked child holds a copy of the solver's state, answers, writes its answer to a
// pipe and exits; this process waits at most the deadline, then kills it. Z3 supports fork: it
// stops its timer threads before one (pthread_atfork) and starts them again on demand.
#pragma once

#include <functional>
#include <string>

namespace fulcrum::prove {

struct ChildAnswer {
  enum class Status {
    Answered, // `text` is what the work returned
    TimedOut, // the deadline passed first: the child was killed
    Failed,   // no child could be started, or it died without answering: `text` says how
  };
  Status status = Status::Failed;
  std::string text;
};

// Runs `work` in a child process and returns what it returned, if it did within `deadlineMs`.
// Nothing the child does reaches this process but that text: it shares no memory with it, and
// it leaves without running exit handlers or flushing standard output (flushed here before).
ChildAnswer answerInChild(unsigned deadlineMs, const std::function<std::string()>& work);

} // namespace fulcrum::prove
