// Replaced by the CVSS calculators.
namespace bulkhead::vulndb {
int CvssPlaceholder() { return 0; }
}  // namespace bulkhead::vulndb
