// The program-wide names the checker resolves against: one namespace for every declaration.
#pragma once

#include "compiler/ast/Ast.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fulcrum {

struct Symbols {
  std::map<std::string, ast::DataDecl*> data; // entities, tables and the entities groups make
  std::map<std::string, ast::ParamDecl*> params;
  std::map<std::string, ast::FnDecl*> fns;
  std::map<std::string, ast::GroupDecl*> groups;
  std::map<std::string, ast::FrameworkDecl*> frameworks;
  std::vector<ast::TestDecl*> tests;
  // `calendar fiscal year starts February` (one per program), or null.
  const ast::CalendarDecl* calendar = nullptr;
  // The standard library's `fn grade` (stdlib/okr), which grades objectives; set when the
  // program has an objective.
  ast::FnDecl* okrGrade = nullptr;
  // Entities the language declares itself (`company`), owned here.
  std::vector<std::unique_ptr<ast::DataDecl>> implicitEntities;

  // The month (1-12) the fiscal year starts in, or 0 without a calendar declaration.
  int fiscalStart() const { return calendar ? calendar->startMonth : 0; }
  // `currency EUR` (one per program), or null: USD.
  const ast::CurrencyDecl* currencyDecl = nullptr;
  const Currency& currency() const {
    return currencyDecl && currencyDecl->currency ? *currencyDecl->currency : defaultCurrency();
  }

  const ast::DataDecl* findData(const std::string& name) const {
    auto it = data.find(name);
    return it == data.end() ? nullptr : it->second;
  }
};

} // namespace fulcrum
