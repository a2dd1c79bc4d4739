#include "bulkhead/k8s/internal/selector.h"

#include <algorithm>

namespace bulkhead::k8s::internal {

Requirement::Op ParseOp(std::string_view op) {
  using Op = Requirement::Op;
  if (op == "In") return Op::kIn;
  if (op == "NotIn") return Op::kNotIn;
  if (op == "Exists") return Op::kExists;
  if (op == "DoesNotExist") return Op::kDoesNotExist;
  if (op == "Gt") return Op::kGt;
  if (op == "Lt") return Op::kLt;
  return Op::kInvalid;
}

void ParseExpressions(const Node& list, Selector* out) {
  for (const Node& e : list.items()) {
    Requirement r;
    r.key = std::string(e["key"].Str());
    r.op = ParseOp(e["operator"].Str());
    for (const Node& v : e["values"].items()) r.values.emplace_back(v.Str());
    if (r.op == Requirement::Op::kInvalid) out->invalid = true;
    out->requirements.push_back(std::move(r));
  }
}

Selector ParseSelector(const Node& node) {
  Selector s;
  if (!node.IsMap()) return s;
  const Node& ml = node["matchLabels"];
  for (size_t i = 0; i < ml.keys().size(); ++i) {
    s.requirements.push_back(
        {ml.keys()[i], Requirement::Op::kIn, {std::string(ml.items()[i].Str())}});
  }
  ParseExpressions(node["matchExpressions"], &s);
  return s;
}

bool Matches(const Selector& s, const Labels& labels) {
  if (s.invalid) return false;
  for (const Requirement& r : s.requirements) {
    const std::string* v = FindLabel(labels, r.key);
    bool in = v && std::find(r.values.begin(), r.values.end(), *v) != r.values.end();
    switch (r.op) {
      case Requirement::Op::kIn:
        if (!in) return false;
        break;
      case Requirement::Op::kNotIn:
        if (in) return false;
        break;
      case Requirement::Op::kExists:
        if (!v) return false;
        break;
      case Requirement::Op::kDoesNotExist:
        if (v) return false;
        break;
      case Requirement::Op::kGt:
      case Requirement::Op::kLt: {
        if (!v || r.values.size() != 1) return false;
        char* end = nullptr;
        long long have = std::strtoll(v->c_str(), &end, 10);
        if (end == v->c_str() || *end) return false;
        long long want = std::strtoll(r.values[0].c_str(), &end, 10);
        if ((r.op == Requirement::Op::kGt) ? !(have > want) : !(have < want)) return false;
        break;
      }
      case Requirement::Op::kInvalid:
        return false;
    }
  }
  return true;
}

}  // namespace bulkhead::k8s::internal
