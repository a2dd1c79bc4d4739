set(BULKHEAD_SECRET_SOURCES bulkhead/secret/placeholder.cc)
