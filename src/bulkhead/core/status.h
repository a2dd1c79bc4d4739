// Status: the outcome of an operation that can fail, after leveldb's Status.
//
// An OK status holds no allocation (a null pointer), so success costs nothing. A failed
// status carries a code and a one-line message that names the input and what is wrong.
// Status values are immutable and safe to share between threads once built.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace bulkhead {

enum class StatusCode : int {
  kOk = 0,
  kNotFound,           ///< The thing asked for does not exist. Often not a failure.
  kInvalidArgument,    ///< The caller (or the user) asked for something malformed.
  kCorruption,         ///< Input data is malformed: bad JSON, a bad tar, a digest mismatch.
  kUnsupported,        ///< Well-formed input that bulkhead does not handle (yet).
  kIOError,            ///< The operating system refused a read or a write.
  kResourceExhausted,  ///< A safety limit was hit (sizes, counts, depth).
  kCancelled,
  kDeadlineExceeded,
  kInternal,  ///< A broken invariant inside bulkhead.
};

/// Returns a stable lower-case name for `code`, e.g. "corruption".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status Unsupported(std::string msg) { return {StatusCode::kUnsupported, std::move(msg)}; }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsResourceExhausted() const { return code() == StatusCode::kResourceExhausted; }

  /// The message alone; empty for OK.
  std::string_view message() const { return state_ ? std::string_view(state_->message) : ""; }

  /// Returns a copy whose message is "<context>: <message>", keeping the code.
  /// An OK status stays OK.
  Status WithContext(std::string_view context) const;

  /// "OK" or "<code name>: <message>".
  std::string ToString() const;

  /// Marks an ignored status as deliberately ignored.
  void IgnoreError() const {}

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

/// `text` fit for one line of a terminal: control characters and DEL written as \n, \r,
/// \t or \xHH. Messages name files, zip entries and layer paths that an image or an
/// archive chose, and those may hold line breaks or escape sequences.
std::string EscapeControlCharacters(std::string_view text);

}  // namespace bulkhead

/// Returns from the enclosing function when `expr` yields a failed Status.
#define BULKHEAD_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::bulkhead::Status bulkhead_status_ = (expr);        \
    if (!bulkhead_status_.ok()) return bulkhead_status_; \
  } while (0)
