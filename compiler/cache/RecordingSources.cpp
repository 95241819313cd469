// Remembers a provider's answers and replays them (see RecordingSources.h).
#include "compiler/cache/RecordingSources.h"

#include <fmt/format.h>
#include <xxhash.h>

namespace fulcrum {

std::string textIdentity(const std::string& text) {
  const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
  return fmt::format("{:016x}{:016x}:{}", hash.high64, hash.low64, text.size());
}

bool RecordingSources::isFile(const std::string& path) const {
  const bool yes = inner_.isFile(path);
  std::lock_guard<std::mutex> lock(mutex_);
  answers_.push_back({SourceAnswer::Question::IsFile, path, yes, {}});
  return yes;
}

bool RecordingSources::read(const std::string& path, std::string& text, std::string& error) const {
  const bool yes = inner_.read(path, text, error);
  std::lock_guard<std::mutex> lock(mutex_);
  answers_.push_back({SourceAnswer::Question::Read, path, yes, yes ? textIdentity(text) : error});
  return yes;
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
    std::string text, error;
    const bool yes = provider.read(answer.path, text, error);
    if (yes != answer.yes || (yes ? textIdentity(text) : error) != answer.identity)
      return false;
  }
  return true;
}

} // namespace fulcrum
