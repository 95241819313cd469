// A SourceProvider that passes every question to another one and remembers the answers: which
// paths were files, which texts were read (whole: a replay compares bytes, not a hash) and each
// file's canonical name. Replaying the answers against the provider
// later tells whether a compilation made from them would read exactly the same sources, so a
// cached compilation is still the one the sources would give (compiler/cache/ProgramCache.h).
#pragma once

#include "compiler/source/SourceProvider.h"

#include <mutex>
#include <string>
#include <vector>

namespace fulcrum {

// What one question to a provider answered: `isFile(path)`, `read(path)` (the text, or the
// error) or `canonical(path)` (the name).
struct SourceAnswer {
  enum class Question { IsFile, Read, Canonical };
  Question question = Question::IsFile;
  std::string path;
  bool yes = false;  // isFile's answer, or whether read succeeded
  std::string value; // read: the text, or the error; canonical: the name
};

class RecordingSources : public SourceProvider {
public:
  explicit RecordingSources(const SourceProvider& inner) : inner_(inner) {}
  bool isFile(const std::string& path) const override;
  bool read(const std::string& path, std::string& text, std::string& error) const override;
  std::string shownName(const std::string& path) const override { return inner_.shownName(path); }
  std::string canonical(const std::string& path) const override;
  // Every answer so far, in the order asked.
  std::vector<SourceAnswer> answers() const;

private:
  const SourceProvider& inner_;
  mutable std::mutex mutex_;
  mutable std::vector<SourceAnswer> answers_;
};

// Whether `provider` answers every question as recorded (the files are as they were).
bool answersStillHold(const std::vector<SourceAnswer>& answers, const SourceProvider& provider);

} // namespace fulcrum
