// Replaced by the k8s module's real sources.
namespace bulkhead::k8s {
int Placeholder() { return 0; }
}  // namespace bulkhead::k8s
