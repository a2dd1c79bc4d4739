namespace bulkhead::version {}
