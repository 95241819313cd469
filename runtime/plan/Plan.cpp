// Facts about plan nodes that every reader of a plan shares.
#include "runtime/plan/Plan.h"

namespace fulcrum::runtime {

NodeOperands nodeOperands(POp op) {
  switch (op) {
  case POp::Const:
  case POp::Missing:
  case POp::RunParam:
  case POp::Column:
  case POp::RefColumn:
  case POp::SubjectColumn:
  case POp::Slot:
  case POp::Aggregate:
    return {};
  case POp::Neg:
  case POp::Not:
  case POp::IsMissing:
  case POp::Abs:
  case POp::Round:
  case POp::Floor:
  case POp::Ceil:
  case POp::TextOrder:
    return {true, false, false, false};
  case POp::Add:
  case POp::Sub:
  case POp::Mul:
  case POp::Div:
  case POp::Pow:
  case POp::Eq:
  case POp::Ne:
  case POp::Lt:
  case POp::Le:
  case POp::Gt:
  case POp::Ge:
  case POp::And:
  case POp::Or:
  case POp::Coalesce:
  case POp::DaysSince:
    return {true, true, false, false};
  case POp::Select:
  case POp::InRange:
  case POp::Clamp:
  case POp::Decay:
    return {true, true, true, false};
  case POp::InSet:
    return {true, false, false, true};
  case POp::Least:
  case POp::Greatest:
    return {false, false, false, true};
  }
  return {};
}

} // namespace fulcrum::runtime
