// What the network and scheduling analyses share: the workloads in a fixed order, their
// sensitivity levels and the labels of their namespaces.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/k8s/workload.h"

namespace bulkhead::k8s::internal {

struct ClusterView {
  std::vector<const Workload*> workloads;   ///< Sorted by id.
  std::vector<int> level;                   ///< Index into `levels`, per workload.
  std::vector<std::string> levels;          ///< Lowest first.
  std::map<std::string, Labels> ns_labels;  ///< Every namespace seen, with its labels.
  std::map<std::string, const Object*> ns_objects;
  size_t max_pair_findings = 1000;
  /// Workloads above which reachability between pairs is not computed (it takes two
  /// n-bit sets per workload: 20,000 workloads are 100 MB).
  size_t max_pairwise_workloads = 20000;
};

/// A fixed-size set of workload indexes.
class Bitset {
 public:
  Bitset() = default;
  explicit Bitset(size_t n) : words_((n + 63) / 64, 0) {}
  void Set(size_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  bool Test(size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  void SetAll(size_t n) {
    for (size_t i = 0; i < n; ++i) Set(i);
  }
  void Or(const Bitset& o) {
    for (size_t i = 0; i < words_.size(); ++i) words_[i] |= o.words_[i];
  }
  bool Intersects(const Bitset& o) const {
    for (size_t i = 0; i < words_.size(); ++i) {
      if (words_[i] & o.words_[i]) return true;
    }
    return false;
  }
  const std::vector<uint64_t>& words() const { return words_; }

 private:
  std::vector<uint64_t> words_;
};

struct AnalysisOutput {
  std::vector<Finding>* findings;
  std::vector<Diagnostic>* diagnostics;
  std::string* summary;
};

/// NetworkPolicy reachability (4.3.3, 4.4.2). Returns the number of policies read.
size_t AnalyzeNetwork(const std::vector<Object>& objects, const ClusterView& view,
                      const AnalysisOutput& out);

/// Scheduling separation (4.3.4).
void AnalyzeScheduling(const std::vector<Object>& objects, const ClusterView& view,
                       const AnalysisOutput& out);

}  // namespace bulkhead::k8s::internal
