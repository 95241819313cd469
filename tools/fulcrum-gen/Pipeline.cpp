// The deals shape: Maven's CRM export at scale. Every deal row is text a spreadsheet user would
// export: an 8-character opportunity id, the agent's, product's and account's names (with
// spaces), a stage, engage and close dates that are empty while a deal has not reached them,
// and a close value that is empty while it is open. The mix follows the Maven file: about 48%
// Won, 28% Lost (close value 0), 18% Engaging and 6% Prospecting (no engage date), and the
// account empty on a fifth of the open deals.
//
// Names are unique, as the entities' keys require: agent k is the k-th pair of a stride
// through every (first name, last name) pair, an account the k-th (stem, suffix) pair, with a
// number appended once the pairs run out. Opportunity ids are row numbers (from 1) through a
// bijection of [0, 36^8) written in base 36, so they are unique and look random. Every block of
// rows draws from its own stream, so the bytes depend on neither the threads nor the blocks.
#include "tools/fulcrum-gen/Pipeline.h"

#include "support/Calendar.h"
#include "tools/fulcrum-gen/Names.h"
#include "tools/fulcrum-gen/OrderedBlocks.h"
#include "tools/fulcrum-gen/Random.h"
#include "tools/fulcrum-gen/TextBuffer.h"

#include <algorithm>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace fulcrum::gen {
namespace {

__extension__ using Wide = unsigned __int128;

constexpr uint64_t kBlockRows = 1 << 16;
constexpr uint64_t kIdSpace = 2821109907456ULL;    // 36^8
constexpr uint64_t kIdMultiplier = 25214903917ULL; // prime to 2 and 3: a bijection of [0, 36^8)
constexpr int kLongestDeal = 138;                  // days from engaging to closing, at most

struct Product {
  std::string_view name;
  std::string_view series;
  uint32_t price;
};
// Maven's seven products and list prices.
constexpr Product kProducts[] = {
    {"GTX Basic", "GTX", 550},   {"GTX Pro", "GTX", 4821},      {"MG Special", "MG", 55},
    {"MG Advanced", "MG", 3393}, {"GTX Plus Pro", "GTX", 5482}, {"GTX Plus Basic", "GTX", 1096},
    {"GTK 500", "GTK", 26768},
};
constexpr std::string_view kOffices[] = {"Central", "East", "West"};
constexpr std::string_view kLocations[] = {"United States", "Kenya",  "Philipines", "Japan",
                                           "Italy",         "Norway", "Korea",      "Jordan",
                                           "Brazil",        "China",  "Germany",    "Panama"};

enum Stage : uint8_t { Won, Lost, Engaging, Prospecting };
constexpr std::string_view kStageNames[] = {"Won", "Lost", "Engaging", "Prospecting"};

// The k-th unique name made of a pair from `a` and `b` (joined by a space), the pairs taken with
// a stride prime to their number so that neighbours differ in both words; once the pairs run
// out, the same pairs again with " 2", " 3", ... appended.
std::string pairName(std::span<const std::string_view> a, std::span<const std::string_view> b,
                     uint64_t k) {
  const uint64_t pairs = a.size() * b.size();
  uint64_t stride = 7919; // a prime: prime to `pairs` unless it divides it
  while (std::gcd(stride, pairs) != 1)
    stride += 2;
  const uint64_t pair = (k % pairs) * stride % pairs;
  std::string name(a[pair % a.size()]);
  name += ' ';
  name += b[pair / a.size()];
  if (k >= pairs) {
    name += ' ';
    name += std::to_string(k / pairs + 1);
  }
  return name;
}

void appendDate(TextBuffer& out, DayNumber day) {
  int year = 0, month = 0, dayOfMonth = 0;
  civilFromDay(day, year, month, dayOfMonth);
  char* text = out.extend(10);
  writePadded(text, static_cast<uint64_t>(year), 4);
  text[4] = '-';
  writePadded(text + 5, static_cast<uint64_t>(month), 2);
  text[7] = '-';
  writePadded(text + 8, static_cast<uint64_t>(dayOfMonth), 2);
}

void appendOpportunityId(TextBuffer& out, uint64_t row) {
  uint64_t id = static_cast<uint64_t>(Wide{row + 1} * kIdMultiplier % kIdSpace);
  char* text = out.extend(8);
  for (int i = 7; i >= 0; --i) {
    const auto digit = static_cast<char>(id % 36);
    text[i] = digit < 10 ? static_cast<char>('0' + digit) : static_cast<char>('A' + digit - 10);
    id /= 36;
  }
}

struct Block {
  TextBuffer text;
  uint64_t rows = 0;
};

} // namespace

void writePipeline(const Options& options, const OpenFile& open) {
  const uint32_t reps = options.reps;
  const uint32_t accounts = std::max<uint32_t>(85, reps * 3);
  std::vector<std::string> agents(reps), accountNames(accounts);
  for (uint32_t k = 0; k < reps; ++k)
    agents[k] = pairName(names::firstNames, names::lastNames, k);
  for (uint32_t k = 0; k < accounts; ++k)
    accountNames[k] = pairName(names::companyStems, names::companySuffixes, k);

  Rng rng(options.seed, TeamStream, 0);
  TextBuffer text;
  {
    CsvFile& file = open("sales_teams.csv", "sales_agent,manager,regional_office");
    const uint32_t managers = std::max<uint32_t>(1, (reps + 5) / 6);
    uint64_t rows = 0;
    for (uint32_t k = 0; k < reps; ++k) {
      const uint32_t team = k * managers / reps;
      text.append(agents[k]);
      text.append(',');
      text.append(pairName(names::firstNames, names::lastNames, reps + team)); // not an agent
      text.append(',');
      text.append(kOffices[team % std::size(kOffices)]);
      text.append('\n');
      ++rows;
      file.writeIfFull(text, rows);
    }
    file.write(text, rows);
  }
  {
    CsvFile& file = open("products.csv", "product,series,sales_price");
    for (const Product& product : kProducts) {
      text.append(product.name);
      text.append(',');
      text.append(product.series);
      text.append(',');
      text.appendUnsigned(product.price);
      text.append('\n');
    }
    file.write(text, std::size(kProducts));
  }
  {
    CsvFile& file = open("accounts.csv", "account,sector,year_established,revenue,employees,"
                                         "office_location,subsidiary_of");
    Rng accountRng(options.seed, AccountStream, 0);
    uint64_t rows = 0;
    for (uint32_t k = 0; k < accounts; ++k) {
      text.append(accountNames[k]);
      text.append(',');
      text.append(names::sectors[accountRng.below(names::sectors.size())]);
      text.append(',');
      text.appendUnsigned(static_cast<uint64_t>(accountRng.between(1979, 2017)));
      text.append(',');
      const uint64_t employees = static_cast<uint64_t>(accountRng.logNormal(1500, 1.2)) + 9;
      text.appendCents(employees * 40 + accountRng.below(100000)); // revenue in $M, 2 places
      text.append(',');
      text.appendUnsigned(employees);
      text.append(',');
      text.append(kLocations[accountRng.chance(0.8) ? 0 : accountRng.below(std::size(kLocations))]);
      text.append(',');
      if (k > 0 && accountRng.chance(0.1))
        text.append(accountNames[accountRng.below(k)]);
      text.append('\n');
      ++rows;
      file.writeIfFull(text, rows);
    }
    file.write(text, rows);
  }

  CsvFile& deals = open("sales_pipeline.csv", "opportunity_id,sales_agent,product,account,"
                                              "deal_stage,engage_date,close_date,close_value");
  // Agents differ in volume (up to 3x) and win rate; drawn once, like a rep's funnel.
  std::vector<double> volume(reps), winRate(reps);
  Rng repRng(options.seed, RepStream, 0);
  double total = 0;
  for (uint32_t k = 0; k < reps; ++k) {
    total += repRng.uniform(1, 3);
    volume[k] = total;
    winRate[k] = repRng.uniform(0.45, 0.8);
  }
  for (double& v : volume)
    v /= total;
  const DayNumber start = options.start;
  const DayNumber end = options.end;
  const uint64_t count = options.pipeline;
  const size_t blocks = (count + kBlockRows - 1) / kBlockRows;
  runOrdered<Block>(
      blocks, options.threads,
      [&](size_t index, Block& block) {
        block.text.clear();
        block.rows = 0;
        Rng rng(options.seed, ActivityStream, index);
        const uint64_t first = index * kBlockRows;
        const uint64_t last = std::min(count, first + kBlockRows);
        TextBuffer& out = block.text;
        for (uint64_t row = first; row < last; ++row) {
          const auto agent = static_cast<uint32_t>(
              std::upper_bound(volume.begin(), volume.end() - 1, rng.uniform()) - volume.begin());
          const Product& product = kProducts[rng.below(std::size(kProducts))];
          // Prospecting deals have no engage date; the others closed within kLongestDeal days
          // of it, unless that is after the range's end (still engaging) or the deal was left
          // open (engaging) anyway.
          Stage stage = Prospecting;
          DayNumber engaged = 0, closed = 0;
          if (!rng.chance(0.06)) {
            engaged = static_cast<DayNumber>(rng.between(start, end));
            closed = engaged + static_cast<DayNumber>(rng.between(1, kLongestDeal));
            if (closed > end || rng.chance(0.12))
              stage = Engaging;
            else
              stage = rng.chance(winRate[agent] * 0.9) ? Won : Lost;
          }
          appendOpportunityId(out, row);
          out.append(',');
          out.append(agents[agent]);
          out.append(',');
          out.append(product.name);
          out.append(',');
          const bool open = stage == Engaging || stage == Prospecting;
          if (!open || !rng.chance(0.2))
            out.append(accountNames[rng.below(accounts)]);
          out.append(',');
          out.append(kStageNames[stage]);
          out.append(',');
          if (stage != Prospecting)
            appendDate(out, engaged);
          out.append(',');
          if (!open)
            appendDate(out, closed);
          out.append(',');
          if (stage == Won)
            out.appendUnsigned(
                static_cast<uint64_t>(product.price * rng.uniform(0.85, 1.15) + 0.5));
          else if (stage == Lost)
            out.append('0');
          out.append('\n');
          ++block.rows;
        }
      },
      [&](size_t, Block& block) { deals.write(block.text, block.rows); });
}

} // namespace fulcrum::gen
