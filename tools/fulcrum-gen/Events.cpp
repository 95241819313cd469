// events.csv, the signals of account-based selling: marketing touches (web visits, email opens,
// whitepaper downloads, contact requests, role changes, purchases) at each account's own
// engagement rate, half of them in research bursts when the account has any; and product usage,
// one usage record every 1 to 7 days from a customer's adoption on, which stops for some
// customers (the accounts that go quiet).
//
// The exact row count is split in two steps over a first pass on every account's profile: the
// customers are chosen (by a per-account draw against one share) so that usage records make
// about 35% of the rows, each customer keeping the latest records of its schedule that fit in
// the rows left; the other rows are marketing touches, shared out over all accounts by
// engagement as differences of floor(M * prefix / total) in 128-bit integers, so the parts add
// up exactly. Every account draws from its own streams, so the bytes depend on neither the
// threads nor the blocks.
#include "tools/fulcrum-gen/Events.h"

#include "tools/fulcrum-gen/OrderedBlocks.h"
#include "tools/fulcrum-gen/Random.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace fulcrum::gen {
namespace {

__extension__ using Wide = unsigned __int128;

constexpr double kUsageShare = 0.35;     // of the rows, about, when there are customers
constexpr double kStopShare = 0.3;       // customers whose usage stops (before or after end)
constexpr double kBurstsPerYear = 0.7;   // research bursts of an account, on average
constexpr double kInBurst = 0.5;         // marketing touches near a burst, when it has any
constexpr int kBurstDays = 10;           // a burst's touches fall within this many days of it
constexpr double kWeightScale = 1 << 20; // engagement as an integer weight
constexpr uint64_t kBlockRows = 1 << 16; // rows a block aims for
constexpr uint32_t kMaxBlockAccounts = 2048;

struct EventKind {
  std::string_view name;
  uint32_t share; // relative frequency among marketing touches (0: product usage)
  int lowWeight;  // weights are uniform in [lowWeight, highWeight]
  int highWeight;
  double anonymous; // chance of no known contact
};

constexpr EventKind kEventKinds[] = {
    {"web_visit", 400, 1, 2, 0.8},      {"email_open", 280, 1, 2, 0.0},
    {"product_usage", 0, 3, 5, 0.3},    {"whitepaper_download", 80, 3, 4, 0.2},
    {"contact_request", 50, 6, 8, 0.0}, {"role_change", 30, 5, 6, 0.0},
    {"purchase", 20, 9, 10, 0.0},
};
constexpr uint8_t kProductUsage = 2;

uint8_t pickMarketingKind(Rng& rng) {
  uint32_t total = 0;
  for (const EventKind& kind : kEventKinds)
    total += kind.share;
  uint64_t u = rng.below(total);
  uint8_t index = 0;
  while (u >= kEventKinds[index].share)
    u -= kEventKinds[index++].share;
  return index;
}

// What an account's share of the rows depends on, from its own profile stream.
struct Profile {
  uint64_t engagement = 1; // the weight of its marketing touches
  double customerDraw = 1; // a customer when below the customers' share
  // Its usage schedule, were it a customer: every `every` days from `first` to `last`.
  DayNumber first = 0;
  DayNumber last = -1;
  int every = 1;
  uint32_t scheduled() const {
    return last >= first ? static_cast<uint32_t>((last - first) / every + 1) : 0;
  }
};

Profile drawProfile(const World& world, uint32_t account) {
  Rng rng(world.options.seed, EventProfileStream, account);
  const DayNumber start = world.options.start;
  const DayNumber end = world.options.end;
  Profile p;
  // Engagement differs a lot between accounts: a long tail of busy ones.
  p.engagement = static_cast<uint64_t>(rng.logNormal(1.0, 0.9) * kWeightScale) + 1;
  p.customerDraw = rng.uniform();
  // Adopted up to a year before the range and at least a month before its end.
  const DayNumber adopted =
      static_cast<DayNumber>(rng.between(start - 365, std::max(start, end - 30)));
  p.every = static_cast<int>(rng.between(1, 7));
  p.first = std::max(adopted, start);
  p.last = end;
  if (rng.chance(kStopShare)) {
    // Usage stops a month or more after adoption, possibly only after the range.
    const DayNumber stopped = static_cast<DayNumber>(rng.between(adopted + 30, end + 365));
    p.last = std::min(end, stopped - 1);
  }
  return p;
}

// floor(total * part / whole), exactly.
uint64_t share(uint64_t total, Wide part, Wide whole) {
  return whole == 0 ? 0 : static_cast<uint64_t>(Wide{total} * part / whole);
}

struct Event {
  DayNumber day;
  uint8_t kind;
  uint8_t contact; // index into the account's contacts, or kNoContact
  uint8_t weight;
  auto operator<=>(const Event&) const = default;
};
constexpr uint8_t kNoContact = 255;

struct Block {
  TextBuffer text;
  uint64_t rows = 0;
};

class EventPlan {
public:
  explicit EventPlan(const World& world) : world_(world) {
    const uint32_t accounts = world.accounts;
    const uint64_t rows = world.events;
    const uint64_t perAccount = accounts ? rows / accounts + 1 : 1;
    blockAccounts_ =
        static_cast<uint32_t>(std::clamp<uint64_t>(kBlockRows / perAccount, 1, kMaxBlockAccounts));

    // A first pass over the profiles: the schedules' total sets the customers' share. (The
    // profiles are drawn again rather than kept: memory stays small at millions of accounts.)
    uint64_t scheduled = 0;
    for (uint32_t a = 0; a < accounts; ++a)
      scheduled += drawProfile(world, a).scheduled();
    const double customers =
        scheduled ? std::min(1.0, kUsageShare * static_cast<double>(rows) / scheduled) : 0.0;

    usage_.assign(accounts, 0);
    uint64_t used = 0;
    Wide weights = 0;
    for (uint32_t a = 0; a < accounts; ++a) {
      if (a % blockAccounts_ == 0)
        blockWeights_.push_back(weights);
      const Profile p = drawProfile(world, a);
      if (p.customerDraw < customers) {
        usage_[a] = static_cast<uint32_t>(std::min<uint64_t>(p.scheduled(), rows - used));
        used += usage_[a];
      }
      weights += p.engagement;
    }
    totalWeight_ = weights;
    marketing_ = rows - used;
  }

  size_t blockCount() const { return blockWeights_.size(); }

  void fill(size_t index, Block& block) const {
    block.text.clear();
    block.rows = 0;
    const uint32_t first = static_cast<uint32_t>(index) * blockAccounts_;
    const uint32_t last = std::min(world_.accounts, first + blockAccounts_);
    Wide prefix = blockWeights_[index];
    std::vector<std::string> contacts;
    std::vector<DayNumber> bursts;
    std::vector<Event> events;
    for (uint32_t account = first; account < last; ++account) {
      const Profile p = drawProfile(world_, account);
      const uint64_t before = share(marketing_, prefix, totalWeight_);
      prefix += p.engagement;
      const uint64_t marketing = share(marketing_, prefix, totalWeight_) - before;

      Rng rng(world_.options.seed, EventStream, account);
      contacts.clear();
      for (int64_t n = rng.between(1, 5); n > 0; --n)
        contacts.push_back(personName(rng));
      events.clear();
      drawMarketing(marketing, contacts.size(), rng, bursts, events);
      drawUsage(p, usage_[account], contacts.size(), rng, events);
      std::sort(events.begin(), events.end());
      write(account, contacts, events, block);
    }
  }

private:
  void drawMarketing(uint64_t count, size_t contacts, Rng& rng, std::vector<DayNumber>& bursts,
                     std::vector<Event>& events) const {
    const DayNumber start = world_.options.start;
    const DayNumber end = world_.options.end;
    bursts.clear();
    for (uint64_t n = rng.poisson(kBurstsPerYear * (end - start + 1) / 365.25); n > 0; --n)
      bursts.push_back(static_cast<DayNumber>(rng.between(start, end)));
    for (uint64_t i = 0; i < count; ++i) {
      const uint8_t kind = pickMarketingKind(rng);
      const EventKind& k = kEventKinds[kind];
      Event event;
      if (!bursts.empty() && rng.chance(kInBurst)) {
        const DayNumber near = bursts[rng.below(bursts.size())] +
                               static_cast<DayNumber>(rng.between(-kBurstDays, kBurstDays));
        event.day = std::clamp(near, start, end);
      } else {
        event.day = static_cast<DayNumber>(rng.between(start, end));
      }
      event.kind = kind;
      event.contact =
          rng.chance(k.anonymous) ? kNoContact : static_cast<uint8_t>(rng.below(contacts));
      event.weight = static_cast<uint8_t>(rng.between(k.lowWeight, k.highWeight));
      events.push_back(event);
    }
  }

  // The latest `count` records of the customer's schedule; from every 3 days on, a record may
  // come a day late (never past the schedule's last day), so gaps stay at most 8 days.
  static void drawUsage(const Profile& p, uint32_t count, size_t contacts, Rng& rng,
                        std::vector<Event>& events) {
    const EventKind& k = kEventKinds[kProductUsage];
    const uint32_t scheduled = p.scheduled();
    for (uint32_t i = scheduled - count; i < scheduled; ++i) {
      Event event;
      event.day = p.first + static_cast<DayNumber>(i) * p.every;
      if (p.every >= 3 && event.day < p.last)
        event.day += static_cast<DayNumber>(rng.below(2));
      event.kind = kProductUsage;
      event.contact =
          rng.chance(k.anonymous) ? kNoContact : static_cast<uint8_t>(rng.below(contacts));
      event.weight = static_cast<uint8_t>(rng.between(k.lowWeight, k.highWeight));
      events.push_back(event);
    }
  }

  void write(uint32_t account, const std::vector<std::string>& contacts,
             const std::vector<Event>& events, Block& block) const {
    for (const Event& event : events) {
      block.text.append(world_.accountId(account));
      block.text.append(',');
      if (event.contact != kNoContact)
        block.text.append(contacts[event.contact]);
      block.text.append(',');
      block.text.append(kEventKinds[event.kind].name);
      block.text.append(',');
      block.text.append(world_.dates[event.day]);
      block.text.append(',');
      block.text.appendUnsigned(event.weight);
      block.text.append('\n');
    }
    block.rows += events.size();
  }

  const World& world_;
  uint32_t blockAccounts_ = 1;
  std::vector<uint32_t> usage_;    // per account: its usage records (0 unless a customer)
  std::vector<Wide> blockWeights_; // engagement of the accounts before each block
  Wide totalWeight_ = 0;
  uint64_t marketing_ = 0; // the rows that are marketing touches
};

} // namespace

void writeEvents(const World& world, CsvFile& file) {
  const EventPlan plan(world);
  runOrdered<Block>(
      plan.blockCount(), world.options.threads,
      [&](size_t index, Block& block) { plan.fill(index, block); },
      [&](size_t, Block& block) { file.write(block.text, block.rows); });
}

} // namespace fulcrum::gen
