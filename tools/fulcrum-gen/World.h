// The generated world every file is written from: teams, reps with their own funnels and
// activity intensity, the accounts each rep owns, the weekdays of the range, and the text of
// every id and date (precomputed once so the hot loops only copy bytes).
#pragma once

#include "tools/fulcrum-gen/Options.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::gen {

enum ActivityKind : uint8_t { Dial, Email, Conversation, Meeting, Demo };
inline constexpr int kActivityKinds = 5;
std::string_view activityKindName(ActivityKind kind);

// A rep's own conversion rates, drawn once per rep; `quality` in [0, 1] summarises them.
struct Funnel {
  double dialToConversation = 0;
  double conversationToMeeting = 0;
  double meetingToDemo = 0;
  double winRate = 0;
  double emailsPerDial = 0;
  double quality = 0;
};

struct Team {
  std::string name;
  std::string manager;
  std::string_view region;
};

struct Rep {
  std::string name;
  uint32_t team = 0;
  DayNumber hired = 0;
  Funnel funnel;
  // Cumulative probabilities of a touch being a dial, email, conversation, meeting (else demo),
  // so the kinds follow the funnel: conversations = dials * dial->conversation, and so on.
  std::array<double, kActivityKinds - 1> kindThresholds{};
  uint32_t intensity = 0; // relative activity volume, 600..1800 (up to 3x between reps)
  uint32_t firstAccount = 0;
  uint32_t accountCount = 0;
  uint32_t quotaBase = 0; // quarterly quota before yearly growth, a multiple of 1000
};

// The `YYYY-MM-DD` text of every day in a window around the range.
class DateTexts {
public:
  DateTexts(DayNumber first, DayNumber last);
  std::string_view operator[](DayNumber day) const {
    return {text_.data() + static_cast<size_t>(day - first_) * 10, 10};
  }

private:
  DayNumber first_;
  std::vector<char> text_;
};

struct World {
  explicit World(const Options& options);

  std::string_view repId(uint32_t rep) const { return {repIds_.data() + rep * 7, 7}; }
  std::string_view accountId(uint32_t account) const {
    return {accountIds_.data() + static_cast<size_t>(account) * 8, 8};
  }

  Options options;
  std::vector<Team> teams;
  std::vector<Rep> reps;
  uint32_t accounts = 0;           // --accounts, or the sum of the reps' own draws
  uint64_t events = 0;             // rows of events.csv: --events, else 15 per account
  std::vector<DayNumber> weekdays; // Monday to Friday in [start, end], ascending
  DateTexts dates;
  DayNumber lastQuarterStart = 0; // the first day of the range's last quarter (or start)

private:
  std::vector<char> repIds_;     // R000001, 7 bytes each
  std::vector<char> accountIds_; // A0000001, 8 bytes each
};

// A person's name: a first and a last name from the lists.
std::string personName(class Rng& rng);

} // namespace fulcrum::gen
