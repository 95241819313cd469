// Loading the account lens's tables: accounts in one pass, events in `threads` line-aligned
// parts at once (like the activities of Dataset.cpp), every part with its own text dictionary.
#include "bench/handwritten/AccountData.h"

#include "bench/handwritten/CsvFile.h"
#include "bench/handwritten/FieldReader.h"
#include "bench/handwritten/ParseParts.h"

#include <algorithm>
#include <exception>
#include <thread>

namespace handwritten {

namespace {

void loadAccounts(const std::string& path, AccountData& data, StringIndex& accountIndex) {
  CsvFile file(path);
  FieldReader read(file, data.text);
  const size_t id = file.column("account_id"), name = file.column("name"),
               employees = file.column("employees");
  Accounts& accounts = data.accounts;
  const size_t expected = file.estimatedRows();
  accounts.ids.reserve(expected);
  accounts.name.reserve(expected);
  accounts.employees.reserve(expected);
  while (file.next()) {
    const std::string_view key = file.field(id);
    if (key.empty())
      read.missing(id);
    if (accountIndex.intern(key) != static_cast<int32_t>(accounts.ids.size()))
      file.fail(fmt::format("duplicate account_id `{}`", key));
    accounts.ids.emplace_back(key);
    accounts.name.push_back(read.text(name));
    accounts.employees.push_back(read.number(employees));
  }
}

void loadEvents(const std::string& path, AccountData& data, const StringIndex& accountIndex,
                int threads) {
  CsvFile file(path);
  const size_t account = file.column("account"), contact = file.column("contact"),
               kind = file.column("kind"), at = file.column("at"), weight = file.column("weight");
  struct Part {
    Events rows;
    StringIndex text;
  };
  std::vector<CsvFile> files = file.partition(static_cast<size_t>(std::max(threads, 1)));
  std::vector<Part> parts(files.size());
  parseParts(parts.size(), [&](size_t index) {
    CsvFile& part = files[index];
    Events& rows = parts[index].rows;
    FieldReader read(part, parts[index].text);
    const size_t expected = part.estimatedRows();
    for (auto* column : {&rows.account, &rows.contact, &rows.kind, &rows.at})
      column->reserve(expected);
    rows.weight.reserve(expected);
    while (part.next()) {
      rows.account.push_back(read.reference(account, accountIndex, "account"));
      rows.contact.push_back(read.optionalText(contact));
      rows.kind.push_back(read.text(kind));
      rows.at.push_back(read.day(at));
      rows.weight.push_back(read.number(weight));
    }
  });
  Events& events = data.events;
  size_t total = 0;
  for (const Part& part : parts)
    total += part.rows.size();
  for (auto* column : {&events.account, &events.contact, &events.kind, &events.at})
    column->reserve(total);
  events.weight.reserve(total);
  for (const Part& part : parts) {
    std::vector<int32_t> sharedCode(part.text.size());
    for (size_t code = 0; code < sharedCode.size(); ++code)
      sharedCode[code] = data.text.intern(part.text.key(static_cast<int32_t>(code)));
    auto shared = [&](int32_t code) {
      return code < 0 ? -1 : sharedCode[static_cast<size_t>(code)];
    };
    events.account.insert(events.account.end(), part.rows.account.begin(), part.rows.account.end());
    events.at.insert(events.at.end(), part.rows.at.begin(), part.rows.at.end());
    events.weight.insert(events.weight.end(), part.rows.weight.begin(), part.rows.weight.end());
    for (const int32_t code : part.rows.contact)
      events.contact.push_back(shared(code));
    for (const int32_t code : part.rows.kind)
      events.kind.push_back(shared(code));
  }
}

} // namespace

AccountData loadAccountData(const std::string& dir, int threads) {
  AccountData data;
  StringIndex accountIndex;
  loadAccounts(dir + "/accounts.csv", data, accountIndex);
  loadEvents(dir + "/events.csv", data, accountIndex, threads);
  return data;
}

} // namespace handwritten
