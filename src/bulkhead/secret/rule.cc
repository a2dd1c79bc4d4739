#include "bulkhead/secret/rule.h"

#include "bulkhead/secret/internal/regex_translate.h"

namespace bulkhead::secret {

bool RegexMayCrossLines(std::string_view regex) { return internal::MayCrossLines(regex); }

}  // namespace bulkhead::secret
