// Token types as syntax error messages see them: descriptions and classes of the grammar's tokens.
#include "compiler/parse/TokenClasses.h"

#include "FulcrumParser.h"

namespace fulcrum {

using grammar::FulcrumParser;

std::string describeTokenType(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  switch (type) {
  case antlr4::Token::EOF:
    return "end of file";
  case FulcrumParser::ID:
    return "a name";
  case FulcrumParser::INT:
  case FulcrumParser::DECIMAL:
    return "a number";
  case FulcrumParser::STRING:
    return "a string";
  case FulcrumParser::PERCENT:
    return "a percentage";
  case FulcrumParser::MONEY:
    return "an amount";
  case FulcrumParser::DATE:
    return "a date";
  case FulcrumParser::PERIOD_LIT:
    return "a period";
  case FulcrumParser::DURATION:
    return "a duration";
  default:
    break;
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2 && literal.front() == '\'') {
    literal.front() = literal.back() = '`'; // 'framework' reads `framework`
    return literal;
  }
  return vocabulary.getSymbolicName(type);
}

bool startsExpression(size_t type) {
  switch (type) {
  case FulcrumParser::INT:
  case FulcrumParser::DECIMAL:
  case FulcrumParser::PERCENT:
  case FulcrumParser::MONEY:
  case FulcrumParser::DATE:
  case FulcrumParser::PERIOD_LIT:
  case FulcrumParser::DURATION:
  case FulcrumParser::STRING:
  case FulcrumParser::TRUE:
  case FulcrumParser::FALSE:
  case FulcrumParser::MISSING:
  case FulcrumParser::ID:
  case FulcrumParser::LPAREN:
  case FulcrumParser::MINUS:
  case FulcrumParser::NOT:
  case FulcrumParser::IF:
  case FulcrumParser::CASE:
    return true;
  default:
    return false;
  }
}

bool isSoftKeyword(size_t type) {
  switch (type) {
  case FulcrumParser::KEY:
  case FulcrumParser::SCORE:
  case FulcrumParser::TARGET:
  case FulcrumParser::WEIGHT:
  case FulcrumParser::PRIORITY:
  case FulcrumParser::SUBJECT:
  case FulcrumParser::CADENCE:
  case FulcrumParser::LAST:
  case FulcrumParser::PREVIOUS:
  case FulcrumParser::OUT:
  case FulcrumParser::BELOW:
  case FulcrumParser::ASC:
  case FulcrumParser::DESC:
  case FulcrumParser::MESSAGE:
  case FulcrumParser::EXPECT:
  case FulcrumParser::AS_OF:
  case FulcrumParser::ON:
  case FulcrumParser::WITHIN:
  case FulcrumParser::ORDER:
  case FulcrumParser::DISTINCT:
  case FulcrumParser::PERIOD_KW:
  case FulcrumParser::CALENDAR:
  case FulcrumParser::VIOLATION:
  case FulcrumParser::NO:
  case FulcrumParser::DATED:
  case FulcrumParser::FORMAT:
  case FulcrumParser::CURRENCY:
  case FulcrumParser::REPORT:
  case FulcrumParser::QUADRANT:
  case FulcrumParser::FUNNEL:
    return true;
  default:
    return false;
  }
}

bool isMemberKeyword(size_t type) {
  switch (type) {
  case FulcrumParser::METRIC:
  case FulcrumParser::SCORE:
  case FulcrumParser::BAND:
  case FulcrumParser::OBJECTIVE:
  case FulcrumParser::RANK:
  case FulcrumParser::ALERT:
  case FulcrumParser::CHECK:
    return true;
  default:
    return false;
  }
}

bool startsDeclaration(size_t type) {
  switch (type) {
  case FulcrumParser::ENTITY:
  case FulcrumParser::TABLE:
  case FulcrumParser::PARAM:
  case FulcrumParser::GROUP:
  case FulcrumParser::FN:
  case FulcrumParser::IMPORT:
  case FulcrumParser::FRAMEWORK:
  case FulcrumParser::TEST:
  case FulcrumParser::KEY_RESULT:
    return true;
  default:
    return isMemberKeyword(type);
  }
}

} // namespace fulcrum
