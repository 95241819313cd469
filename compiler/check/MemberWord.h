// What a framework member is called in a message (`a score`, `an objective`): one table for the
// checkers' messages.
#pragma once

#include "compiler/ast/Ast.h"

#include <string>

namespace fulcrum {

inline const char* memberWord(const ast::Member& member) {
  switch (member.kind) {
  case ast::MemberKind::Subject:
    return "subject";
  case ast::MemberKind::Cadence:
    return "cadence";
  case ast::MemberKind::Metric:
    return "metric";
  case ast::MemberKind::Score:
    return "score";
  case ast::MemberKind::Band:
    return "band";
  case ast::MemberKind::Objective:
    return "objective";
  case ast::MemberKind::Rank:
    return "rank";
  case ast::MemberKind::Alert:
    return "alert";
  case ast::MemberKind::Check:
    return "check";
  case ast::MemberKind::Report:
    return "report block";
  }
  return "member";
}

// The word with its article: `a score`, `an objective`, `an alert`.
inline std::string memberWithArticle(const ast::Member& member) {
  const std::string word = memberWord(member);
  return (std::string("aeiou").find(word[0]) == std::string::npos ? "a " : "an ") + word;
}

} // namespace fulcrum
