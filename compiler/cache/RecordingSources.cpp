// Remembers a provider's answers and replays them (see RecordingSources.h).
#include "compiler/cache/RecordingSources.h"

namespace fulcrum {

bool RecordingSources::isFile(const std::string& path) const {
  const bool yes = inner_.isFile(path);
  std::lock_guard<std::mutex> lock(mutex_);
  answers_.push_back({SourceAnswer::Question::IsFile, path, yes, {}});
  return yes;
}

bool RecordingSources::read(const std::string& path, std::string& text, std::string& error) const {
  const bool yes = inner_.read(path, text, error);
  std::lock_guard<std::mutex> lock(mutex_);
  answers_.push_back({SourceAnswer::Question::Read, path, yes, yes ? text : error});
  return yes;
}

std::string RecordingSources::canonical(const std::string& path) const {
  std::string name = inner_.canonical(path);
  std::lock_guard<std::mutex> lock(mutex_);
  answers_.push_back({SourceAnswer::Question::Canonical, path, true, name});
  return name;
}

std::vector<SourceAnswer> RecordingSources::answers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return answers_;
}

bool answersStillHold(const std::vector<SourceAnswer>& answers, const SourceProvider& provider) {
  for (const SourceAnswer& answer : answers) {
    if (answer.question == SourceAnswer::Question::IsFile) {
      if (provider.isFile(answer.path) != answer.yes)
        return false;
      continue;
    }
    if (answer.question == SourceAnswer::Question::Canonical) {
      if (provider.canonical(answer.path) != answer.value)
        return false;
      continue;
    }
    std::string text, error;
    const bool yes = provider.read(answer.path, text, error);
    if (yes != answer.yes || (yes ? text : error) != answer.value)
      return false;
  }
  return true;
}

} // namespace fulcrum
