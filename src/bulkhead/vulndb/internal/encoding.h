// The compact encoding of ranges and version lists in the database's BLOB columns.
// Control characters never occur in stored versions (the parsers refuse them), so the
// separators below cannot collide with data.
//
//   ranges   := range ( RS range )*        RS = 0x1e
//   range    := type ( event )*            type = 'E' (ECOSYSTEM) | 'S' (SEMVER)
//   event    := kind version US            kind = 'i' | 'f' | 'l' | 'm'; US = 0x1f
//   versions := ( version US )*
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/record.h"

namespace bulkhead::vulndb::internal {

std::string EncodeRanges(const std::vector<Range>& ranges);
Result<std::vector<Range>> DecodeRanges(std::string_view data);
std::string EncodeList(const std::vector<std::string>& items);
std::vector<std::string> DecodeList(std::string_view data);

}  // namespace bulkhead::vulndb::internal
