# Tests of the secret module, relative to tests/.
set(BULKHEAD_SECRET_TEST_SOURCES
  secret/secret_test_util.cc
  secret/text_test.cc
  secret/regex_translate_test.cc
  secret/builtin_rules_test.cc
  secret/engine_test.cc
  secret/gitleaks_config_test.cc
  secret/gitleaks_conformance_test.cc
  secret/detect_secrets_test.cc
  secret/fuzz_regression_test.cc)
