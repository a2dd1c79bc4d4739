# Sources of the secret module (namespace bulkhead::secret), relative to src/.
set(BULKHEAD_SECRET_SOURCES
  bulkhead/secret/rule.cc
  bulkhead/secret/text.cc
  bulkhead/secret/builtin_rules.cc
  bulkhead/secret/gitleaks_config.cc
  bulkhead/secret/engine.cc
  bulkhead/secret/file_scanner.cc
  bulkhead/secret/internal/regex_translate.cc
  bulkhead/secret/internal/validators.cc
  bulkhead/secret/internal/scan_state.cc
  bulkhead/secret/internal/confirm.cc)
