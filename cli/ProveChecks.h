// `fulcrum check --prove`: the answers of compiler/prove for every check of every framework, as
// text (one line per check, a counterexample's values under a refuted one) or one JSON array,
// on stdout. Diagnostics stay on stderr as `check` prints them.
#pragma once

#include "compiler/prove/Prove.h"

#include <cstddef>
#include <string>
#include <vector>

namespace fulcrum::cli {

struct ProveSettings {
  bool json = false;
  bool sarif = false; // `--format sarif`: one result per refuted or unknown check
  bool times = true;  // `--no-times` leaves them out, so goldens stay the same from run to run
  prove::ProveOptions options;
};

// Where an answer's check or score component is declared: its file (the framework's, or the
// module's it was imported from, as diagnostics name files), line and column.
struct DeclaredAt {
  std::string file;
  uint32_t line = 0, column = 0;
};

class ProofReport {
public:
  explicit ProofReport(ProveSettings settings) : settings_(settings) {}
  // One framework's answers (text: printed now).
  // `declared`: where each check or component is declared, as `proofs` are ordered.
  void add(const std::string& framework, const std::vector<prove::CheckProof>& proofs,
           const std::vector<DeclaredAt>& declared);
  // The summary line (text), the JSON array or the SARIF log.
  void finish();
  // Of the written checks (the other questions' answers change no exit status).
  size_t refuted() const { return checks_.refuted; }
  size_t unknown() const { return checks_.unknown; }

private:
  void finishSarif() const;
  struct Entry {
    std::string framework;
    prove::CheckProof proof;
    DeclaredAt at;
  };
  ProveSettings settings_;
  std::vector<Entry> entries_;
  struct Counts {
    size_t proved = 0, refuted = 0, unknown = 0;
  };
  // A component's, a band's and a division's answers change no exit status.
  Counts checks_, components_, bands_, divisions_;
  Counts& countsOf(prove::Question question);
};

} // namespace fulcrum::cli
