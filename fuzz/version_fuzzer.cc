// Version comparison under every scheme, on arbitrary bytes. The input is split at its
// first 0x00 byte (or in the middle when there is none) into two versions; each scheme
// must answer -1, 0 or 1, be reflexive and antisymmetric, and agree with IsValid being
// total (it must simply return). Transitivity is checked by the unit tests, which hold
// the third operand.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/version/version.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t cut = input.find('\0');
  std::string_view a;
  std::string_view b;
  if (cut == std::string_view::npos) {
    a = input.substr(0, size / 2);
    b = input.substr(size / 2);
  } else {
    a = input.substr(0, cut);
    b = input.substr(cut + 1);
  }
  for (bulkhead::version::Scheme scheme : bulkhead::version::kAllSchemes) {
    int ab = bulkhead::version::Compare(scheme, a, b);
    int ba = bulkhead::version::Compare(scheme, b, a);
    if (ab < -1 || ab > 1) __builtin_trap();
    if (ab != -ba) __builtin_trap();                                      // antisymmetry
    if (bulkhead::version::Compare(scheme, a, a) != 0) __builtin_trap();  // reflexivity
    if (bulkhead::version::Compare(scheme, b, b) != 0) __builtin_trap();
    (void)bulkhead::version::IsValid(scheme, a);
  }
  return 0;
}
