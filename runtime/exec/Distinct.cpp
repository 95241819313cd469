// The per-(aggregate, subject) value sets behind `count(distinct ...)`, called by both engines.
#include "runtime/exec/Distinct.h"

namespace fulcrum::runtime {

extern "C" void fulcrumAddDistinct(void* distinctSets, uint32_t aggregate, int64_t subject,
                                   double value) {
  auto* sets = static_cast<DistinctSets*>(distinctSets);
  sets->sets[static_cast<std::size_t>(aggregate) * sets->subjects +
             static_cast<std::size_t>(subject)]
      .insert(value);
}

} // namespace fulcrum::runtime
