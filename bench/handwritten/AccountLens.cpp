// framework account_lens (bench/frameworks/events.fulcrum): size of prize, temperature (decayed
// event weights of the last 90 days), the heat band, a rank over all accounts, the days since
// the last product use, and the alert feed of its two alerts.
//
// As of a day D (language.md, "As of a date"): `last N days` are the N days ending at D;
// `decay` and `days_since` of a date after D are missing (so a later event adds nothing to a
// sum, and a last product use after D leaves quiet_days missing); an active alert dated after D
// is left out.
#include "bench/handwritten/Frameworks.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <thread>

namespace handwritten {

namespace {

constexpr double kHalfLifeDays = 14;
constexpr int32_t kNoUse = INT32_MIN;

// What the scan of the events leaves per account (one block per thread, merged in row order).
struct EventFacts {
  std::vector<double> temperature;
  std::vector<int32_t> lastUse;        // the latest product_usage day, kNoUse without one
  std::vector<int64_t> roleChangeRows; // rows matching decision_maker_move's filter, ascending
};

EventFacts scanEvents(const Events& events, size_t accounts, int32_t usage, int32_t roleChange,
                      int32_t asOf, bool alerts, int threads) {
  const DayRange last90{asOf - 89, asOf}, last7{asOf - 6, asOf};
  const size_t rows = events.size();
  const size_t parts = std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1,
                                          std::max<size_t>(rows / 65536, 1));
  std::vector<EventFacts> blocks(parts);
  auto scan = [&](size_t part) {
    EventFacts& facts = blocks[part];
    facts.temperature.assign(accounts, 0.0);
    facts.lastUse.assign(accounts, kNoUse);
    const size_t begin = rows * part / parts, end = rows * (part + 1) / parts;
    const int32_t* account = events.account.data();
    const int32_t* kind = events.kind.data();
    const int32_t* at = events.at.data();
    const double* weight = events.weight.data();
    double* temperature = facts.temperature.data();
    int32_t* lastUse = facts.lastUse.data();
    for (size_t i = begin; i < end; ++i) {
      const auto a = static_cast<size_t>(account[i]);
      const int32_t day = at[i];
      if (kind[i] == usage && day > lastUse[a])
        lastUse[a] = day;
      // Every day of the window is on or before D, so its decay is never missing.
      if (last90.contains(day))
        temperature[a] +=
            weight[i] * std::pow(0.5, static_cast<double>(asOf - day) / kHalfLifeDays);
      if (alerts && kind[i] == roleChange && last7.contains(day))
        facts.roleChangeRows.push_back(static_cast<int64_t>(i));
    }
  };
  std::vector<std::thread> workers;
  for (size_t part = 1; part < parts; ++part)
    workers.emplace_back(scan, part);
  scan(0);
  for (std::thread& worker : workers)
    worker.join();

  EventFacts facts = std::move(blocks[0]);
  for (size_t part = 1; part < parts; ++part) {
    const EventFacts& later = blocks[part];
    for (size_t a = 0; a < accounts; ++a) {
      facts.temperature[a] += later.temperature[a];
      facts.lastUse[a] = std::max(facts.lastUse[a], later.lastUse[a]);
    }
    facts.roleChangeRows.insert(facts.roleChangeRows.end(), later.roleChangeRows.begin(),
                                later.roleChangeRows.end());
  }
  return facts;
}

// A double's bits as an unsigned number in the same order (-0 and +0 made one).
uint64_t orderedBits(double x) {
  const uint64_t bits = std::bit_cast<uint64_t>(x == 0 ? 0.0 : x);
  return bits >> 63 ? ~bits : bits | (uint64_t{1} << 63);
}

// SQL's RANK() of `values` (descending or not) over the subjects whose value is present: 1 for
// the first, ties share the smaller place, the next place skips. A stable LSD radix sort on the
// values' ordered bits, a byte a pass (a pass whose byte is the same for all is skipped).
std::vector<Maybe> rankOf(const std::vector<Maybe>& values, bool descending) {
  std::vector<uint64_t> keys;
  std::vector<int32_t> order;
  for (size_t s = 0; s < values.size(); ++s)
    if (values[s].present) {
      const uint64_t key = orderedBits(values[s].value);
      keys.push_back(descending ? ~key : key);
      order.push_back(static_cast<int32_t>(s));
    }
  std::vector<uint64_t> keysOut(keys.size());
  std::vector<int32_t> orderOut(order.size());
  for (int shift = 0; shift < 64; shift += 8) {
    size_t counts[257] = {};
    for (const uint64_t key : keys)
      ++counts[(key >> shift & 0xff) + 1];
    if (std::any_of(counts + 1, counts + 257, [&](size_t c) { return c == keys.size(); }))
      continue;
    for (size_t b = 1; b < 257; ++b)
      counts[b] += counts[b - 1];
    for (size_t i = 0; i < keys.size(); ++i) {
      const size_t at = counts[keys[i] >> shift & 0xff]++;
      keysOut[at] = keys[i];
      orderOut[at] = order[i];
    }
    keys.swap(keysOut);
    order.swap(orderOut);
  }
  std::vector<Maybe> rank(values.size(), kMissing);
  for (size_t i = 0; i < order.size(); ++i) {
    const bool tie = i > 0 && keys[i] == keys[i - 1];
    rank[static_cast<size_t>(order[i])] =
        tie ? rank[static_cast<size_t>(order[i - 1])] : some(static_cast<double>(i + 1));
  }
  return rank;
}

// A count as the table format shows it: 1,089.
std::string withThousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

} // namespace

LensResult evaluateAccountLens(const AccountData& data, int32_t asOf, int threads, bool alerts) {
  const size_t accounts = data.accounts.size();
  const StringIndex& text = data.text;
  const EventFacts facts = scanEvents(data.events, accounts, text.find("product_usage"),
                                      text.find("role_change"), asOf, alerts, threads);

  LensResult result;
  ResultTable& table = result.table;
  auto& sizeOfPrize = table.addNumbers("size_of_prize", accounts);
  auto& temperature = table.addNumbers("temperature", accounts);
  auto& heat = table.addTexts("heat", accounts);
  std::vector<Maybe> product(accounts);
  for (size_t a = 0; a < accounts; ++a) {
    sizeOfPrize[a] = some(data.accounts.employees[a] * 40);
    temperature[a] = some(facts.temperature[a]); // a sum over no rows is 0
    heat[a] = temperature[a].value >= 20 ? "HIGH" : temperature[a].value >= 5 ? "MEDIUM" : "LOW";
    // size_of_prize * temperature is money, as Fulcrum holds it (Maybe.h): the size in units
    // times temperature, rounded to the unit, so products within half a unit tie.
    const Maybe sizeUnits = some(data.accounts.employees[a] * 40 * kMoneyUnitsPerDollar);
    product[a] = roundMoney(sizeUnits * temperature[a]);
  }
  const std::vector<Maybe>& priority = table.addNumbers("priority", rankOf(product, true));
  auto& quietDays = table.addNumbers("quiet_days", accounts);
  for (size_t a = 0; a < accounts; ++a) {
    const int32_t lastUse = facts.lastUse[a];
    // max over no rows is missing, and days_since of a day after D is missing too.
    if (lastUse != kNoUse && lastUse <= asOf)
      quietDays[a] = some(asOf - lastUse);
  }
  if (!alerts)
    return result;

  const auto alertStart = std::chrono::steady_clock::now();
  const Events& events = data.events;
  auto shown = [&](int32_t code) { return code < 0 ? std::string("-") : text.key(code); };
  for (const int64_t row : facts.roleChangeRows) {
    const auto r = static_cast<size_t>(row);
    if (events.at[r] > asOf)
      continue; // it has not happened yet
    const int32_t subject = events.account[r];
    result.alerts.push_back({subject, 0, events.at[r], row,
                             shown(events.contact[r]) + " changed roles at " +
                                 shown(data.accounts.name[static_cast<size_t>(subject)])});
  }
  for (size_t a = 0; a < accounts; ++a)
    if (quietDays[a].present && quietDays[a].value > 14)
      result.alerts.push_back({static_cast<int32_t>(a), 1, asOf, -1,
                               shown(data.accounts.name[a]) + ": no product use for " +
                                   withThousands(static_cast<long long>(quietDays[a].value)) +
                                   " days"});
  // The feed's order: subjects in rank order (missing last), ties by key; then newest first,
  // declaration order, row order.
  const std::vector<std::string>& keys = data.accounts.ids;
  std::sort(result.alerts.begin(), result.alerts.end(), [&](const Alert& x, const Alert& y) {
    if (x.subject != y.subject) {
      const Maybe rx = priority[static_cast<size_t>(x.subject)];
      const Maybe ry = priority[static_cast<size_t>(y.subject)];
      if (rx.present != ry.present)
        return rx.present;
      if (rx.present && rx.value != ry.value)
        return rx.value < ry.value;
      return keys[static_cast<size_t>(x.subject)] < keys[static_cast<size_t>(y.subject)];
    }
    if (x.date != y.date)
      return x.date > y.date;
    if (x.alert != y.alert)
      return x.alert < y.alert;
    return x.row < y.row;
  });
  result.alertSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - alertStart).count();
  return result;
}

void writeAlertsCsv(const std::string& path, const std::vector<std::string>& keys,
                    const std::vector<Alert>& alerts) {
  static constexpr const char* kAlerts[][2] = {{"decision_maker_move", "Decision maker move"},
                                               {"gone_quiet", "No product use for two weeks"}};
  std::string out = "subject,alert,title,date,message,priority\n";
  for (const Alert& alert : alerts) {
    appendCsvField(out, keys[static_cast<size_t>(alert.subject)]);
    out += ',';
    out += kAlerts[alert.alert][0];
    out += ',';
    appendCsvField(out, kAlerts[alert.alert][1]);
    out += ',';
    out += formatDay(alert.date);
    out += ',';
    appendCsvField(out, alert.message);
    out += ",\n"; // no priority declared: empty
  }
  writeWhole(path, out);
}

} // namespace handwritten
