namespace bulkhead::secret {}
