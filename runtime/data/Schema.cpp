// Names of value kinds, for messages.
#include "runtime/data/Schema.h"

namespace fulcrum::runtime {

const char* valueKindName(ValueKind kind) {
  switch (kind) {
  case ValueKind::Number:
    return "number";
  case ValueKind::Bool:
    return "bool";
  case ValueKind::Text:
    return "text";
  case ValueKind::Date:
    return "date";
  case ValueKind::Period:
    return "period";
  case ValueKind::Reference:
    return "reference";
  }
  return "value";
}

} // namespace fulcrum::runtime
