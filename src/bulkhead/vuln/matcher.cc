namespace bulkhead::vuln {
int MatcherPlaceholder() { return 0; }
}  // namespace bulkhead::vuln
