// Character classes and digit-string comparison shared by the version schemes. Private to
// the version module (namespace bulkhead::version::internal); never included from outside.
//
// Every function is pure, allocation-free and thread-safe. The classes are ASCII only and
// never depend on the C locale, so a byte >= 0x80 is neither a digit nor a letter.
#pragma once

#include <cstddef>
#include <string_view>

namespace bulkhead::version::internal {

inline constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline constexpr bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline constexpr bool IsAlpha(char c) { return IsLower(c) || IsUpper(c); }
inline constexpr bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline constexpr char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c + 32) : c; }

/// -1, 0 or 1 for a negative, zero or positive `x`.
inline constexpr int Sign(int x) { return (x > 0) - (x < 0); }

/// Length of the run of ASCII digits at the start of `s`.
inline size_t DigitRun(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  return n;
}

/// Length of the run of ASCII letters at the start of `s`.
inline size_t AlphaRun(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsAlpha(s[n])) ++n;
  return n;
}

/// `s` without its leading '0' characters.
inline std::string_view StripLeadingZeros(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[n] == '0') ++n;
  return s.substr(n);
}

/// Bytewise three-way comparison (as unsigned bytes): -1, 0 or 1.
inline int CompareBytes(std::string_view a, std::string_view b) {
  int r = a.compare(b);
  return Sign(r);
}

/// Compares two strings of ASCII digits as the non-negative integers they spell, of any
/// length and without overflow: leading zeros are dropped, then the longer number is
/// bigger, then the digits decide. An empty string counts as zero. Returns -1, 0 or 1.
inline int CompareDigits(std::string_view a, std::string_view b) {
  a = StripLeadingZeros(a);
  b = StripLeadingZeros(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return CompareBytes(a, b);
}

/// True when `s` is empty or spells zero ("0", "000").
inline bool IsZeroDigits(std::string_view s) { return StripLeadingZeros(s).empty(); }

/// Case-insensitive (ASCII) three-way comparison: -1, 0 or 1.
inline int CompareIgnoreCase(std::string_view a, std::string_view b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(ToLower(a[i]));
    auto y = static_cast<unsigned char>(ToLower(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

/// True when `s` equals the lower-case ASCII `lower`, ignoring case.
inline bool EqualsIgnoreCase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (ToLower(s[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace bulkhead::version::internal
