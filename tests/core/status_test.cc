#include "bulkhead/core/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bulkhead/core/result.h"

namespace bulkhead {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(Status::OK().ok());
}

TEST(StatusTest, FactoriesSetCodeAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
  };
  std::vector<Case> cases;
  cases.push_back({Status::NotFound("m"), StatusCode::kNotFound});
  cases.push_back({Status::InvalidArgument("m"), StatusCode::kInvalidArgument});
  cases.push_back({Status::Corruption("m"), StatusCode::kCorruption});
  cases.push_back({Status::Unsupported("m"), StatusCode::kUnsupported});
  cases.push_back({Status::IOError("m"), StatusCode::kIOError});
  cases.push_back({Status::ResourceExhausted("m"), StatusCode::kResourceExhausted});
  cases.push_back({Status::Internal("m"), StatusCode::kInternal});
  cases.push_back({Status(StatusCode::kCancelled, "m"), StatusCode::kCancelled});
  cases.push_back({Status(StatusCode::kDeadlineExceeded, "m"), StatusCode::kDeadlineExceeded});
  for (const Case& c : cases) {
    SCOPED_TRACE(StatusCodeName(c.code));
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_EQ(c.status.IsNotFound(), c.code == StatusCode::kNotFound);
    EXPECT_EQ(c.status.IsResourceExhausted(), c.code == StatusCode::kResourceExhausted);
  }
}

TEST(StatusTest, OkCodeWithMessageIsOk) {
  Status s(StatusCode::kOk, "ignored");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, ErrorWithEmptyMessageIsStillAnError) {
  Status s = Status::Corruption("");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.ToString(), "corruption: ");
}

TEST(StatusTest, CodeNamesAreDistinctAndKnown) {
  const StatusCode all[] = {
      StatusCode::kOk,
      StatusCode::kNotFound,
      StatusCode::kInvalidArgument,
      StatusCode::kCorruption,
      StatusCode::kUnsupported,
      StatusCode::kIOError,
      StatusCode::kResourceExhausted,
      StatusCode::kCancelled,
      StatusCode::kDeadlineExceeded,
      StatusCode::kInternal,
  };
  std::set<std::string_view> names;
  for (StatusCode c : all) {
    std::string_view name = StatusCodeName(c);
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "unknown");
    names.insert(name);
  }
  EXPECT_EQ(names.size(), std::size(all));
  EXPECT_EQ(StatusCodeName(StatusCode::kCorruption), "corruption");
  EXPECT_EQ(StatusCodeName(StatusCode::kNotFound), "not found");
  EXPECT_EQ(StatusCodeName(static_cast<StatusCode>(999)), "unknown");
}

TEST(StatusTest, ToStringHasCodeNameAndMessage) {
  EXPECT_EQ(Status::NotFound("/etc/passwd").ToString(), "not found: /etc/passwd");
  EXPECT_EQ(Status::Corruption("x.tar: bad header").ToString(), "corruption: x.tar: bad header");
}

TEST(StatusTest, WithContextPrefixesAndKeepsCode) {
  Status base = Status::Corruption("bad header");
  Status wrapped = base.WithContext("layer 2");
  EXPECT_EQ(wrapped.code(), StatusCode::kCorruption);
  EXPECT_EQ(wrapped.message(), "layer 2: bad header");
  // The original is untouched.
  EXPECT_EQ(base.message(), "bad header");
  EXPECT_EQ(wrapped.WithContext("img.tar").message(), "img.tar: layer 2: bad header");
}

TEST(StatusTest, WithContextOnOkStaysOk) {
  Status s = Status::OK().WithContext("anything");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, CopyIsDeepAndIndependent) {
  Status a = Status::IOError("disk on fire");
  Status b(a);
  EXPECT_EQ(b.code(), StatusCode::kIOError);
  EXPECT_EQ(b.message(), "disk on fire");
  // The message storage is not shared.
  EXPECT_NE(a.message().data(), b.message().data());
  a = Status::OK();
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(b.message(), "disk on fire");
}

TEST(StatusTest, CopyAssignmentReplacesBothWays) {
  Status err = Status::NotFound("x");
  Status ok;
  Status target = Status::Corruption("old");
  target = err;
  EXPECT_EQ(target.code(), StatusCode::kNotFound);
  EXPECT_EQ(target.message(), "x");
  target = ok;
  EXPECT_TRUE(target.ok());
  ok = err;
  EXPECT_EQ(ok.code(), StatusCode::kNotFound);
}

TEST(StatusTest, SelfAssignmentKeepsValue) {
  Status s = Status::Unsupported("zip64");
  const Status& alias = s;
  s = alias;
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_EQ(s.message(), "zip64");
}

TEST(StatusTest, MoveTransfersValue) {
  Status a = Status::Internal("broken");
  Status b(std::move(a));
  EXPECT_EQ(b.code(), StatusCode::kInternal);
  EXPECT_EQ(b.message(), "broken");
  Status c;
  c = std::move(b);
  EXPECT_EQ(c.code(), StatusCode::kInternal);
  EXPECT_EQ(c.message(), "broken");
}

Status Step(bool fail, int* reached) {
  ++*reached;
  return fail ? Status::Corruption("step failed") : Status::OK();
}

Status TwoSteps(bool fail_first, int* reached) {
  BULKHEAD_RETURN_IF_ERROR(Step(fail_first, reached));
  BULKHEAD_RETURN_IF_ERROR(Step(false, reached));
  return Status::OK();
}

TEST(StatusTest, ReturnIfErrorStopsAtFirstFailure) {
  int reached = 0;
  Status s = TwoSteps(/*fail_first=*/true, &reached);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message(), "step failed");
  EXPECT_EQ(reached, 1);

  reached = 0;
  EXPECT_TRUE(TwoSteps(/*fail_first=*/false, &reached).ok());
  EXPECT_EQ(reached, 2);
}

// ---- Result<T> ----

TEST(ResultTest, HoldsValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  EXPECT_TRUE(r.status().ok());
}

TEST(ResultTest, HoldsError) {
  Result<std::string> r = Status::NotFound("no such blob");
  EXPECT_FALSE(r.has_value());
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "no such blob");
}

TEST(ResultTest, OkStatusBecomesInternalError) {
  Result<int> r = Status::OK();
  EXPECT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInternal);
}

TEST(ResultTest, ArrowAndMutation) {
  Result<std::string> r = std::string("abc");
  EXPECT_EQ(r->size(), 3u);
  r->push_back('d');
  *r += "e";
  EXPECT_EQ(r.value(), "abcde");
}

TEST(ResultTest, MoveOnlyValue) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, CopyKeepsError) {
  Result<int> a = Status::Corruption("bad");
  Result<int> b = a;
  EXPECT_EQ(b.error().message(), "bad");
  EXPECT_EQ(a.error().message(), "bad");
}

Result<int> ParseDigit(char c) {
  if (c < '0' || c > '9') return Status::InvalidArgument(std::string("not a digit: ") + c);
  return c - '0';
}

Result<int> SumDigits(std::string_view s, int* parsed) {
  int sum = 0;
  for (char c : s) {
    BULKHEAD_ASSIGN_OR_RETURN(int d, ParseDigit(c));
    ++*parsed;
    sum += d;
  }
  return sum;
}

TEST(ResultTest, AssignOrReturn) {
  int parsed = 0;
  Result<int> ok = SumDigits("123", &parsed);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 6);
  EXPECT_EQ(parsed, 3);

  parsed = 0;
  Result<int> bad = SumDigits("1x3", &parsed);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message(), "not a digit: x");
  EXPECT_EQ(parsed, 1);
}

Result<std::unique_ptr<int>> MakeBox(bool fail) {
  if (fail) return Status::ResourceExhausted("no room");
  return std::make_unique<int>(5);
}

Status UseBox(bool fail, int* out) {
  BULKHEAD_ASSIGN_OR_RETURN(std::unique_ptr<int> box, MakeBox(fail));
  *out = *box;
  return Status::OK();
}

TEST(ResultTest, AssignOrReturnWithMoveOnlyValueAndStatusReturn) {
  int out = 0;
  EXPECT_TRUE(UseBox(false, &out).ok());
  EXPECT_EQ(out, 5);
  Status s = UseBox(true, &out);
  EXPECT_TRUE(s.IsResourceExhausted());
}

TEST(EscapeControlCharacters, KeepsAMessageOnOneLine) {
  EXPECT_EQ(EscapeControlCharacters("a.zip:bad\n\x1b[31mRED.json\tx\r\x7f\x01"),
            "a.zip:bad\\n\\x1b[31mRED.json\\tx\\r\\x7f\\x01");
  EXPECT_EQ(EscapeControlCharacters("caf\xc3\xa9 \\ plain"), "caf\xc3\xa9 \\ plain");
  EXPECT_EQ(EscapeControlCharacters(""), "");
}

}  // namespace
}  // namespace bulkhead
