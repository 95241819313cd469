// Activities and deals. The exact activity count is split over weekdays and then over the reps
// working that day by cumulative integer weights (floor(N * prefix / total) differences, so the
// parts add up exactly); a rep-day's weight is the rep's intensity times a hashed daily noise,
// halved while ramping up after the hire date, times the weekday's and season's factor. Kinds
// follow the rep's funnel; each demo becomes a deal, closed 14-180 days later (won with the
// rep's win rate) or still open when that falls after the range's end.
#include "tools/fulcrum-gen/Activities.h"

#include "tools/fulcrum-gen/Names.h"
#include "tools/fulcrum-gen/OrderedBlocks.h"
#include "tools/fulcrum-gen/Random.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace fulcrum::gen {
namespace {

__extension__ using Wide = unsigned __int128;

constexpr int kRampDays = 60;                  // new hires work at half volume this long
constexpr double kOwnAccountShare = 0.92;      // else a touch goes to any account
constexpr uint64_t kBlockRows = 1 << 16;       // activity rows a block aims for
constexpr uint64_t kMaxDealNumber = 999999999; // D + 9 digits
constexpr double kMedianDeal = 3000;
constexpr double kDealSigma = 1.1;
constexpr double kProductFactor[] = {0.6, 1.0, 1.4, 0.8, 3.0}; // by names::products
constexpr int kOpenEngagingDays = 45; // open deals engaged longer ago than this are "Engaging"

// Percent of the usual volume on a day: Fridays are quieter, the holidays very quiet, the last
// two weeks of a quarter busier.
uint32_t dayFactor(DayNumber day) {
  static constexpr uint32_t kByWeekday[] = {0, 105, 110, 105, 100, 80};
  int year = 0, month = 0, dayOfMonth = 0;
  civilFromDay(day, year, month, dayOfMonth);
  uint32_t factor = kByWeekday[isoWeekday(day)];
  if (month == 12 && dayOfMonth >= 24)
    factor /= 4;
  else if (month % 3 == 0 && dayOfMonth >= 17)
    factor += 15;
  return factor;
}

// The weights of all reps on one weekday (0 before the hire date).
class DayWeights {
public:
  explicit DayWeights(const World& world) : world_(world) {
    for (uint32_t rep = 0; rep < world.reps.size(); ++rep)
      noiseKeys_.push_back(streamKey(world.options.seed, NoiseStream, rep));
  }

  uint64_t weight(uint32_t rep, DayNumber day) const {
    const Rep& r = world_.reps[rep];
    if (day < r.hired)
      return 0;
    const uint64_t noise = 50 + mix64(noiseKeys_[rep] ^ static_cast<uint64_t>(day)) % 101;
    const uint64_t ramp = day - r.hired < kRampDays ? 1 : 2;
    return r.intensity * noise * ramp;
  }

  uint64_t total(DayNumber day) const {
    uint64_t sum = 0;
    for (uint32_t rep = 0; rep < world_.reps.size(); ++rep)
      sum += weight(rep, day);
    return sum;
  }

private:
  const World& world_;
  std::vector<uint64_t> noiseKeys_;
};

// floor(total * part / whole), exactly.
uint64_t share(uint64_t total, Wide part, Wide whole) {
  return whole == 0 ? 0 : static_cast<uint64_t>(Wide{total} * part / whole);
}

struct Touch {
  uint32_t rep;
  uint32_t account;
  ActivityKind kind;
};

struct Block {
  TextBuffer activities;
  TextBuffer deals;
  std::vector<size_t> dealIdOffsets; // where each deal's 9 id digits go, filled in order
  uint64_t activityRows = 0;
  std::vector<Touch> touches;
};

class Generator {
public:
  explicit Generator(const World& world) : world_(world), weights_(world) {
    const size_t days = world.weekdays.size();
    dayTotals_.resize(days);
    cumulative_.resize(days + 1, 0);
    for (size_t i = 0; i < days; ++i) {
      const DayNumber day = world.weekdays[i];
      dayTotals_[i] = weights_.total(day);
      cumulative_[i + 1] = cumulative_[i] + Wide{dayTotals_[i]} * dayFactor(day);
    }
    if (world.options.activities > 0 && cumulative_.back() == 0)
      throw std::runtime_error("the range " + formatDate(world.options.start) + " to " +
                               formatDate(world.options.end) +
                               " has no weekday to put activities on");
    // Blocks of whole days, about kBlockRows rows each; the grouping never changes the bytes.
    const uint64_t perDay = days ? world.options.activities / days + 1 : 1;
    daysPerBlock_ = std::max<uint64_t>(1, kBlockRows / perDay);
  }

  size_t blockCount() const {
    return static_cast<size_t>((world_.weekdays.size() + daysPerBlock_ - 1) / daysPerBlock_);
  }

  void fill(size_t index, Block& block) const {
    block.activities.clear();
    block.deals.clear();
    block.dealIdOffsets.clear();
    block.activityRows = 0;
    const size_t first = index * daysPerBlock_;
    const size_t last = std::min<size_t>(first + daysPerBlock_, world_.weekdays.size());
    for (size_t i = first; i < last; ++i)
      fillDay(i, block);
  }

private:
  uint64_t rowsOnDay(size_t i) const {
    const uint64_t n = world_.options.activities;
    return share(n, cumulative_[i + 1], cumulative_.back()) -
           share(n, cumulative_[i], cumulative_.back());
  }

  void fillDay(size_t dayIndex, Block& block) const {
    const DayNumber day = world_.weekdays[dayIndex];
    const uint64_t rows = rowsOnDay(dayIndex);
    if (rows == 0)
      return;
    Rng rng(world_.options.seed, ActivityStream, static_cast<uint64_t>(day));
    std::vector<Touch>& touches = block.touches;
    touches.clear();
    touches.reserve(rows);
    const Wide whole = dayTotals_[dayIndex];
    Wide prefix = 0;
    uint64_t before = 0;
    for (uint32_t r = 0; r < world_.reps.size(); ++r) {
      prefix += weights_.weight(r, day);
      const uint64_t upTo = share(rows, prefix, whole);
      const Rep& rep = world_.reps[r];
      for (uint64_t k = before; k < upTo; ++k)
        touches.push_back({r, pickAccount(rep, rng), pickKind(rep, rng)});
      before = upTo;
    }
    // A time-ordered export: the day's reps interleaved.
    for (size_t i = touches.size(); i > 1; --i)
      std::swap(touches[i - 1], touches[rng.below(i)]);

    const std::string_view date = world_.dates[day];
    for (const Touch& touch : touches) {
      const std::string_view kind = activityKindName(touch.kind);
      char* out = block.activities.extend(7 + 1 + 8 + 1 + 10 + 1 + kind.size() + 1);
      std::memcpy(out, world_.repId(touch.rep).data(), 7);
      out[7] = ',';
      std::memcpy(out + 8, world_.accountId(touch.account).data(), 8);
      out[16] = ',';
      std::memcpy(out + 17, date.data(), 10);
      out[27] = ',';
      std::memcpy(out + 28, kind.data(), kind.size());
      out[28 + kind.size()] = '\n';
      if (touch.kind == Demo)
        writeDeal(touch, day, rng, block);
    }
    block.activityRows += touches.size();
  }

  uint32_t pickAccount(const Rep& rep, Rng& rng) const {
    if (rng.chance(kOwnAccountShare))
      return rep.firstAccount + static_cast<uint32_t>(rng.below(rep.accountCount));
    return static_cast<uint32_t>(rng.below(world_.accounts));
  }

  static ActivityKind pickKind(const Rep& rep, Rng& rng) {
    const double u = rng.uniform();
    int kind = 0;
    while (kind < kActivityKinds - 1 && u >= rep.kindThresholds[kind])
      ++kind;
    return static_cast<ActivityKind>(kind);
  }

  void writeDeal(const Touch& touch, DayNumber engaged, Rng& rng, Block& block) const {
    const Rep& rep = world_.reps[touch.rep];
    const size_t product = rng.below(names::products.size());
    const bool won = rng.chance(rep.funnel.winRate);
    const double u = rng.uniform();
    DayNumber closed = engaged + 14 + static_cast<DayNumber>(166 * u * u);
    if (const int weekday = isoWeekday(closed); weekday > 5)
      closed += 8 - weekday;
    const double value = rng.logNormal(kMedianDeal * kProductFactor[product], kDealSigma);

    TextBuffer& out = block.deals;
    block.dealIdOffsets.push_back(out.size() + 1);
    out.append("D?????????,");
    out.append(world_.repId(touch.rep));
    out.append(',');
    out.append(world_.accountId(touch.account));
    out.append(',');
    out.append(names::products[product]);
    out.append(',');
    if (closed > world_.options.end) {
      out.append(world_.options.end - engaged > kOpenEngagingDays ? "Engaging," : "Prospecting,");
      out.append(world_.dates[engaged]);
      out.append(",,\n");
      return;
    }
    out.append(won ? "Won," : "Lost,");
    out.append(world_.dates[engaged]);
    out.append(',');
    out.append(world_.dates[closed]);
    out.append(',');
    if (won)
      out.appendCents(static_cast<uint64_t>(std::llround(value * 100)));
    else
      out.append('0');
    out.append('\n');
  }

  const World& world_;
  DayWeights weights_;
  std::vector<uint64_t> dayTotals_; // sum of rep weights per weekday (without the day factor)
  std::vector<Wide> cumulative_;    // prefix sums of weekday weights with the day factor
  uint64_t daysPerBlock_ = 1;
};

} // namespace

void writeActivitiesAndDeals(const World& world, CsvFile& activities, CsvFile& deals) {
  const Generator generator(world);
  uint64_t nextDeal = 1;
  runOrdered<Block>(
      generator.blockCount(), world.options.threads,
      [&](size_t index, Block& block) { generator.fill(index, block); },
      [&](size_t, Block& block) {
        // Deal ids run in file order, so they are assigned here, on the writing thread.
        for (const size_t offset : block.dealIdOffsets) {
          if (nextDeal > kMaxDealNumber)
            throw std::runtime_error("more than 999999999 deals: use fewer --activities");
          writePadded(block.deals.data() + offset, nextDeal++, 9);
        }
        activities.write(block.activities, block.activityRows);
        deals.write(block.deals, block.dealIdOffsets.size());
      });
}

} // namespace fulcrum::gen
