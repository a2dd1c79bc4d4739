#include "bulkhead/version/apk_version.h"

#include <cstddef>

#include "bulkhead/version/internal/chars.h"

namespace bulkhead::version {
namespace {

using internal::IsDigit;
using internal::IsLower;

// Token kinds in grammar order; the order is also the tie-break when two versions stop
// matching (a later kind is the smaller version), so it must not change.
enum class Token {
  kInitialDigit,
  kDigit,
  kLetter,
  kSuffix,
  kSuffixNo,
  kCommitHash,
  kRevisionNo,
  kEnd,
  kInvalid,
};

// Suffix weights; kNone is the pivot between pre- and post-release suffixes.
enum Suffix : int {
  kSuffixInvalid = 0,
  kAlpha,
  kBeta,
  kPre,
  kRc,
  kNone,
  kCvs,
  kSvn,
  kGit,
  kHg,
  kP,
};

int SuffixWeight(std::string_view s) {
  static constexpr struct {
    std::string_view name;
    int weight;
  } kSuffixes[] = {{"alpha", kAlpha}, {"beta", kBeta}, {"pre", kPre}, {"rc", kRc}, {"cvs", kCvs},
                   {"svn", kSvn},     {"git", kGit},   {"hg", kHg},   {"p", kP}};
  for (const auto& suffix : kSuffixes) {
    if (s == suffix.name) return suffix.weight;
  }
  return kSuffixInvalid;
}

bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

// Walks a version one token at a time. `value` views the token's text (digits, the
// letter, the suffix word or the hash); `start` is where the current token began, which
// is where the bytewise tie-break starts for an invalid token.
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {
    token_ = Token::kInitialDigit;
    ParseDigits();
  }

  Token token() const { return token_; }
  std::string_view value() const { return value_; }
  int suffix() const { return suffix_; }
  std::string_view rest_of_token() const { return s_.substr(start_); }

  void Next() {
    start_ = pos_;
    if (pos_ >= s_.size()) {
      token_ = Token::kEnd;
      return;
    }
    char c = s_[pos_];
    if (IsLower(c)) {
      if (token_ > Token::kDigit) return Invalid();
      value_ = s_.substr(pos_, 1);
      token_ = Token::kLetter;
      ++pos_;
    } else if (c == '.' || IsDigit(c)) {
      if (c == '.') {
        if (token_ > Token::kDigit) return Invalid();
        ++pos_;
      }
      if (token_ == Token::kInitialDigit || token_ == Token::kDigit) {
        token_ = Token::kDigit;
      } else if (token_ == Token::kSuffix) {
        token_ = Token::kSuffixNo;
      } else {
        return Invalid();
      }
      ParseDigits();
    } else if (c == '_') {
      if (token_ > Token::kSuffixNo) return Invalid();
      ++pos_;
      size_t n = 0;
      while (pos_ + n < s_.size() && IsLower(s_[pos_ + n])) ++n;
      value_ = s_.substr(pos_, n);
      pos_ += n;
      suffix_ = SuffixWeight(value_);
      if (suffix_ == kSuffixInvalid) return Invalid();
      token_ = Token::kSuffix;
    } else if (c == '~') {
      if (token_ >= Token::kCommitHash) return Invalid();
      ++pos_;
      size_t n = 0;
      while (pos_ + n < s_.size() && IsHexDigit(s_[pos_ + n])) ++n;
      if (n == 0) return Invalid();
      value_ = s_.substr(pos_, n);
      pos_ += n;
      token_ = Token::kCommitHash;
    } else if (c == '-') {
      if (token_ >= Token::kRevisionNo) return Invalid();
      if (pos_ + 1 >= s_.size() || s_[pos_ + 1] != 'r') return Invalid();
      pos_ += 2;
      token_ = Token::kRevisionNo;
      ParseDigits();
    } else {
      Invalid();
    }
  }

 private:
  void ParseDigits() {
    size_t n = internal::DigitRun(s_.substr(pos_));
    value_ = s_.substr(pos_, n);
    pos_ += n;
    if (n == 0) Invalid();
  }
  void Invalid() { token_ = Token::kInvalid; }

  std::string_view s_;
  size_t pos_ = 0;
  size_t start_ = 0;
  Token token_;
  std::string_view value_;
  int suffix_ = kSuffixInvalid;
};

// Compares two tokens of the same kind.
int CompareTokens(const Tokenizer& a, const Tokenizer& b) {
  switch (a.token()) {
    case Token::kDigit:
      if (a.value()[0] == '0' || b.value()[0] == '0') {
        return internal::CompareBytes(a.value(), b.value());
      }
      return internal::CompareDigits(a.value(), b.value());
    case Token::kInitialDigit:
    case Token::kSuffixNo:
    case Token::kRevisionNo:
      return internal::CompareDigits(a.value(), b.value());
    case Token::kSuffix:
      return a.suffix() == b.suffix() ? 0 : (a.suffix() < b.suffix() ? -1 : 1);
    case Token::kLetter:
    case Token::kCommitHash:
      return internal::CompareBytes(a.value(), b.value());
    case Token::kEnd:
      return 0;
    case Token::kInvalid:
      return internal::CompareBytes(a.rest_of_token(), b.rest_of_token());
  }
  return 0;
}

bool IsPreReleaseSuffix(const Tokenizer& t) {
  return t.token() == Token::kSuffix && t.suffix() < kNone;
}

}  // namespace

int CompareApkVersions(std::string_view a, std::string_view b) {
  Tokenizer ta(a);
  Tokenizer tb(b);
  while (ta.token() == tb.token()) {
    int r = CompareTokens(ta, tb);
    if (r != 0) return r;
    if (ta.token() == Token::kEnd || ta.token() == Token::kInvalid) return 0;
    ta.Next();
    tb.Next();
  }
  // Equal so far, then different kinds of token: the one that goes on is bigger unless
  // it goes on with a pre-release suffix; otherwise the later kind is the smaller one.
  if (IsPreReleaseSuffix(ta)) return -1;
  if (IsPreReleaseSuffix(tb)) return 1;
  return ta.token() > tb.token() ? -1 : 1;
}

bool IsValidApkVersion(std::string_view v) {
  Tokenizer t(v);
  while (t.token() != Token::kEnd && t.token() != Token::kInvalid) t.Next();
  return t.token() == Token::kEnd;
}

}  // namespace bulkhead::version
