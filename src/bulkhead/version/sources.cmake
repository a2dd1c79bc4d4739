set(BULKHEAD_VERSION_SOURCES bulkhead/version/placeholder.cc)
