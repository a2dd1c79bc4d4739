# Tests of the config module, relative to tests/ (included by tests/CMakeLists.txt).
set(BULKHEAD_CONFIG_TEST_SOURCES
    config/check_catalog_test.cc
    config/image_checks_test.cc
    config/dockle_conformance_test.cc)
