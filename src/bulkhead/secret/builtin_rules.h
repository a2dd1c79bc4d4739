// The built-in secret rules: bulkhead's own regexes, written from the public token
// formats (cloud keys, VCS and CI tokens, chat webhooks, payment and mail APIs, package
// registries, private keys, JWTs, credentials in URLs and in assignments).
//
// A pure function returning a fresh value: thread-safe, caller owns the result.
#pragma once

#include "bulkhead/secret/rule.h"

namespace bulkhead::secret {

/// Every built-in rule, with its ids stable across versions (ids follow gitleaks' names
/// where the token is the same, so that allowlists carry over). No global allowlist.
RuleSet BuiltinRules();

}  // namespace bulkhead::secret
