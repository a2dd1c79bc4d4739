// Result<T>: a value or a failed Status, shaped like C++23 std::expected<T, Status> so
// it can become an alias later. Not thread-safe to mutate; const access is safe.
#pragma once

#include <utility>
#include <variant>

#include "bulkhead/core/status.h"

namespace bulkhead {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  /// REQUIRES: !status.ok(). An OK status here is turned into an Internal error.
  Result(Status status)  // NOLINT
      : storage_(std::in_place_index<1>, status.ok()
                                             ? Status::Internal("Result built from an OK status")
                                             : std::move(status)) {}

  bool has_value() const { return storage_.index() == 0; }
  bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  /// REQUIRES: has_value().
  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The failure; OK when a value is held.
  Status status() const { return has_value() ? Status() : std::get<1>(storage_); }
  /// REQUIRES: !has_value().
  const Status& error() const { return std::get<1>(storage_); }

 private:
  std::variant<T, Status> storage_;
};

}  // namespace bulkhead

#define BULKHEAD_CONCAT_INNER_(a, b) a##b
#define BULKHEAD_CONCAT_(a, b) BULKHEAD_CONCAT_INNER_(a, b)

/// Declares `lhs` from a Result expression, returning its Status on failure.
/// Usage: BULKHEAD_ASSIGN_OR_RETURN(auto file, OpenFile(path));
#define BULKHEAD_ASSIGN_OR_RETURN(lhs, expr) \
  BULKHEAD_ASSIGN_OR_RETURN_IMPL_(BULKHEAD_CONCAT_(bulkhead_result_, __LINE__), lhs, expr)
#define BULKHEAD_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.has_value()) return tmp.error();             \
  lhs = std::move(tmp).value()
