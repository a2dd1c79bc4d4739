// ScanState, part 2: RE2 confirmation of a unit, allowlists, and the masked results.
#include <algorithm>
#include <cctype>
#include <cstring>

#include "bulkhead/secret/internal/scan_state.h"
#include "bulkhead/secret/internal/validators.h"
#include "bulkhead/secret/text.h"

namespace bulkhead::secret::internal {
namespace {

constexpr std::string_view kInlineAllow[] = {"bulkhead:allow", "gitleaks:allow"};
constexpr size_t kBeforeBytes = 64;
// Allowlists and inline comments see the match's line, cut to this much on each side, so
// that a long line costs the same per match as a short one.
constexpr size_t kLineAroundBytes = 1024;

// Line bounds inside a window, for positions that mostly grow from call to call (the
// matches of one window): each byte is searched once.
class LineFinder {
 public:
  explicit LineFinder(std::string_view w) : w_(w) {}

  /// Start of the line holding position p.
  size_t Begin(size_t p) {
    if (p < scanned_) {
      const size_t nl = p == 0 ? std::string_view::npos : w_.rfind('\n', p - 1);
      return nl == std::string_view::npos ? 0 : nl + 1;
    }
    while (const auto* n =
               static_cast<const char*>(memchr(w_.data() + scanned_, '\n', p - scanned_))) {
      last_nl_ = static_cast<size_t>(n - w_.data());
      scanned_ = last_nl_ + 1;
    }
    scanned_ = p;
    return last_nl_ == std::string_view::npos ? 0 : last_nl_ + 1;
  }

  /// End of the line holding position p: the index of its '\n', or the window's size.
  size_t End(size_t p) {
    if (p >= end_from_ && p <= end_) return end_;
    const size_t nl = w_.find('\n', p);
    end_from_ = p;
    end_ = nl == std::string_view::npos ? w_.size() : nl;
    return end_;
  }

 private:
  std::string_view w_;
  size_t scanned_ = 0;
  size_t last_nl_ = std::string_view::npos;
  size_t end_from_ = 1;
  size_t end_ = 0;
};

bool IsGeneric(const Rule& rule) { return rule.id.rfind("generic", 0) == 0; }

// A "bulkhead:allow" (or gitleaks') comment in `text`.
bool HasInlineAllow(std::string_view text) {
  for (std::string_view marker : kInlineAllow) {
    if (text.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

// The group holding the secret: the rule's `secret_group`, or (0) the first non-empty
// capture group, or the whole match when all are empty.
int SecretGroup(int secret_group, const std::vector<re2::StringPiece>& groups) {
  if (secret_group > 0) return secret_group;
  for (size_t k = 1; k < groups.size(); ++k) {
    if (groups[k].data() != nullptr && !groups[k].empty()) return static_cast<int>(k);
  }
  return 0;
}

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void ScanState::ProcessUnit(Unit* unit) {
  // The single-line window: the unit's line without its '\n' (for a piece of a long
  // line, from kOverlapBytes before the piece).
  const uint64_t single_begin =
      unit->start == unit->line_start
          ? unit->start
          : std::max(unit->line_start, unit->start - std::min(unit->start, kOverlapBytes));
  uint64_t single_end = unit->end;
  if (single_end > unit->start && buf_[single_end - 1 - buf_start_] == '\n') --single_end;
  // The multi-line window starts at the first line start at most kLookbackBytes before.
  uint64_t multi_begin = single_begin;
  if (d_->any_multiline) {
    const uint64_t lb = unit->start > kLookbackBytes ? unit->start - kLookbackBytes : 0;
    if (lb == 0) {
      multi_begin = 0;
    } else if (lb - 1 < single_begin) {
      const char* from = buf_.data() + (lb - 1 - buf_start_);
      if (const auto* nl = static_cast<const char*>(memchr(from, '\n', single_begin - (lb - 1)))) {
        multi_begin = lb + static_cast<uint64_t>(nl - from);
      }
    }
  }

  if (unit->gate) {
    const bool ml = d_->fallback_multiline;
    const std::string_view window =
        BufferRange(ml ? multi_begin : single_begin, ml ? unit->end : single_end);
    for (const FallbackSet& fs : d_->fallback_sets) {
      set_matches_.clear();
      if (!fs.set->Match(window, &set_matches_)) continue;
      for (int idx : set_matches_) {
        const uint32_t r = fs.rules[static_cast<size_t>(idx)];
        if (rule_active_[r]) unit->rules.push_back(RuleHit{r, 0});
      }
    }
  }
  std::sort(unit->rules.begin(), unit->rules.end(),
            [](const RuleHit& a, const RuleHit& b) { return a.rule < b.rule; });
  // A whole line (not a piece of a long one) is seen by RE2 as vectorscan sees it, so
  // RE2 matches end at vectorscan hits and the rule's last hit bounds the search.
  const bool whole_line = unit->start == unit->line_start &&
                          (unit->end == stream_end_ || buf_[unit->end - 1 - buf_start_] == '\n');
  for (size_t i = 0; i < unit->rules.size(); ++i) {
    const uint32_t r = unit->rules[i].rule;
    if (i > 0 && unit->rules[i - 1].rule == r) continue;  // Also reported by the set.
    if (!rule_active_[r]) continue;
    uint64_t last_hit_end = whole_line ? unit->rules[i].last_end : 0;
    if (i + 1 < unit->rules.size() && unit->rules[i + 1].rule == r) last_hit_end = 0;
    if (d_->rules[r].rule.multiline) {
      ConfirmRule(r, *unit, multi_begin, unit->end, last_hit_end);
    } else {
      ConfirmRule(r, *unit, single_begin, single_end, last_hit_end);
    }
  }
}

bool ScanState::HasKeyword(const CompiledRule& cr, uint64_t window_begin, uint64_t window_end) {
  if (cr.rule.keywords.empty()) return true;
  if (lower_begin_ != window_begin || lower_end_ != window_end || lower_.empty()) {
    lower_.assign(BufferRange(window_begin, window_end));
    for (char& c : lower_) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
    }
    lower_begin_ = window_begin;
    lower_end_ = window_end;
  }
  for (const std::string& k : cr.rule.keywords) {
    if (lower_.find(k) != std::string::npos) return true;
  }
  return false;
}

void ScanState::ConfirmRule(uint32_t rule_index, const Unit& unit, uint64_t window_begin,
                            uint64_t window_end, uint64_t last_hit_end) {
  const CompiledRule& cr = d_->rules[rule_index];
  if (!cr.re || window_end <= window_begin) return;
  if (!HasKeyword(cr, window_begin, window_end)) return;
  if (cr.prefilter) last_hit_end = 0;  // Approximate hits bound nothing.
  const std::string_view window = BufferRange(window_begin, window_end);
  const re2::StringPiece text(window.data(), window.size());
  const int want = (cr.rule.secret_group > 0 ? cr.rule.secret_group : cr.groups) + 1;
  groups_.assign(static_cast<size_t>(want), re2::StringPiece());
  const bool window_has_marker = HasInlineAllow(window);
  LineFinder match_lines(window);
  LineFinder secret_lines(window);
  size_t pos = 0;
  while (pos <= window.size()) {
    // First the match's bounds alone (a DFA pass), then, only for a match that passes the
    // cheap checks, the capture groups: RE2 extracts them from exactly that span, as an
    // unanchored search with groups would (leftmost-first, same context for \b, ^, $).
    if (!cr.re->Match(text, pos, window.size(), RE2::UNANCHORED, groups_.data(), 1)) break;
    const size_t mb = static_cast<size_t>(groups_[0].data() - window.data());
    const size_t me = mb + groups_[0].size();
    if (me == mb) {
      pos = me + 1;
      continue;
    }
    pos = me;
    // Nothing can match after the last hit: stop after this match.
    if (last_hit_end != 0 && window_begin + me >= last_hit_end) pos = window.size() + 1;
    if (window_begin + me <= unit.start) continue;  // Its last byte is in an earlier unit.

    const std::string_view match = window.substr(mb, me - mb);
    // The line(s) of the match, at most kLineAroundBytes on each side of it.
    const size_t line_begin =
        std::max(match_lines.Begin(mb), mb > kLineAroundBytes ? mb - kLineAroundBytes : 0);
    const size_t line_end = std::min(match_lines.End(me - 1), me + kLineAroundBytes);
    Candidate c;
    c.match = match;
    const size_t before_begin = std::max(line_begin, mb >= kBeforeBytes ? mb - kBeforeBytes : 0);
    c.before = window.substr(before_begin, mb - before_begin);
    if (!PassesMatchPrecheck(cr.rule.validator, c)) continue;

    if (want > 1 && !cr.re->Match(text, mb, me, RE2::ANCHOR_BOTH, groups_.data(), want)) {
      continue;
    }
    const int g = want > 1 ? SecretGroup(cr.rule.secret_group, groups_) : 0;
    const re2::StringPiece sp = groups_[static_cast<size_t>(g)];
    if (sp.data() == nullptr || sp.empty()) continue;
    const size_t sb = static_cast<size_t>(sp.data() - window.data());
    const size_t se = sb + sp.size();
    const std::string_view secret = window.substr(sb, se - sb);
    if (cr.rule.min_entropy && ShannonEntropy(secret) < *cr.rule.min_entropy) continue;
    c.secret = secret;
    c.group = g;
    if (!PassesValidator(cr.rule.validator, c)) continue;
    const std::string_view line = window.substr(line_begin, line_end - line_begin);
    if (Allowed(rule_index, secret, match, line)) continue;
    if (window_has_marker && HasInlineAllow(line)) continue;
    Record(rule_index, window_begin, window, sb, se, secret_lines.Begin(sb), secret_lines.End(sb));
  }
}

bool ScanState::Allowed(uint32_t rule_index, std::string_view secret, std::string_view match,
                        std::string_view line) const {
  std::string lower_secret;
  auto check = [&](const CompiledAllowList& al, int8_t path_state) {
    int criteria = 0;
    int met = 0;
    if (path_state >= 0) {
      ++criteria;
      met += path_state;
    }
    if (!al.regexes.empty()) {
      ++criteria;
      const std::string_view target = al.target == RegexTarget::kSecret  ? secret
                                      : al.target == RegexTarget::kMatch ? match
                                                                         : line;
      const re2::StringPiece t(target.data(), target.size());
      for (const auto& re : al.regexes) {
        if (RE2::PartialMatch(t, *re)) {
          ++met;
          break;
        }
      }
    }
    if (!al.stop_words.empty()) {
      ++criteria;
      if (lower_secret.empty()) lower_secret = LowerCopy(secret);
      for (const std::string& w : al.stop_words) {
        if (lower_secret.find(w) != std::string::npos) {
          ++met;
          break;
        }
      }
    }
    if (criteria == 0) return false;
    return al.require_all ? met == criteria : met > 0;
  };
  const CompiledRule& cr = d_->rules[rule_index];
  for (size_t k = 0; k < cr.allowlists.size(); ++k) {
    if (check(cr.allowlists[k], rule_allow_path_[rule_index][k])) return true;
  }
  for (size_t k = 0; k < d_->global_allowlists.size(); ++k) {
    const CompiledAllowList& al = d_->global_allowlists[k];
    if (!al.target_rules.empty() && std::find(al.target_rules.begin(), al.target_rules.end(),
                                              rule_index) == al.target_rules.end()) {
      continue;
    }
    if (check(al, global_allow_path_[k])) return true;
  }
  return false;
}

void ScanState::Record(uint32_t rule_index, uint64_t window_begin, std::string_view window,
                       size_t sb, size_t se, size_t lb, size_t le) {
  if (found_.size() >= kMaxMatchesPerFile) {
    too_many_ = true;
    return;
  }
  Found f;
  f.rule = rule_index;
  f.begin = window_begin + sb;
  f.end = window_begin + se;
  f.secret.assign(window.substr(sb, se - sb));
  const uint64_t line = LineNumberAt(f.begin);
  f.line = static_cast<uint32_t>(std::min<uint64_t>(line, UINT32_MAX));
  const uint64_t true_line_start = LineStartOf(f.begin);
  f.column = static_cast<uint32_t>(std::min<uint64_t>(f.begin - true_line_start + 1, UINT32_MAX));

  // Context: the secret's line [lb, le), clipped to kContextBytes around it.
  const size_t secret_on_line_end = std::min(se, le);
  const size_t cb = std::max(lb, sb > kContextBytes ? sb - kContextBytes : 0);
  const size_t ce = std::min(le, secret_on_line_end + kContextBytes);
  f.context_begin = window_begin + cb;
  f.context.assign(window.substr(cb, ce - cb));
  f.cut_left = window_begin + cb > true_line_start;
  const uint64_t abs_le = window_begin + le;
  f.cut_right = ce < le || (le == window.size() && abs_le < stream_end_ &&
                            buf_[abs_le - buf_start_] != '\n' && buf_[abs_le - buf_start_] != '\r');
  found_.push_back(std::move(f));
}

std::string ScanState::MaskedContext(const Found& f,
                                     const std::vector<const Found*>& sorted) const {
  struct Span {
    uint64_t begin;
    uint64_t end;
    const Found* owner;
  };
  const uint64_t cb = f.context_begin;
  const uint64_t ce = cb + f.context.size();
  std::vector<Span> spans;
  std::vector<const Found*> owners;
  // Secrets whose span meets the context. `sorted` is ordered by begin; a secret spans at
  // most kUnitBytes + kLookbackBytes, so the search starts that far back.
  const uint64_t reach = kUnitBytes + kLookbackBytes;
  auto it = std::lower_bound(sorted.begin(), sorted.end(), cb > reach ? cb - reach : 0,
                             [](const Found* x, uint64_t v) { return x->begin < v; });
  for (; it != sorted.end() && (*it)->begin < ce; ++it) {
    const Found* g = *it;
    if (g->end <= cb) continue;
    spans.push_back(Span{std::max(g->begin, cb), std::min(g->end, ce), g});
    owners.push_back(g);
  }
  // Other copies of those secrets on the line, also those that only look the same once
  // made report-safe (SanitizeForReport keeps every byte's position).
  const std::string safe = SanitizeForReport(f.context);
  const bool aligned = safe.size() == f.context.size();
  for (const Found* g : owners) {
    if (g->secret.size() < 4) continue;
    for (size_t p = f.context.find(g->secret); p != std::string::npos;
         p = f.context.find(g->secret, p + 1)) {
      spans.push_back(Span{cb + p, cb + p + g->secret.size(), g});
    }
    const std::string safe_secret = SanitizeForReport(g->secret);
    if (!aligned || safe_secret.size() != g->secret.size()) continue;
    for (size_t p = safe.find(safe_secret); p != std::string::npos;
         p = safe.find(safe_secret, p + 1)) {
      spans.push_back(Span{cb + p, cb + p + g->secret.size(), g});
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  auto piece = [&](uint64_t from, uint64_t to) {
    return aligned ? safe.substr(from - cb, to - from)
                   : SanitizeForReport(std::string_view(f.context).substr(from - cb, to - from));
  };
  std::string out = f.cut_left ? "..." : "";
  uint64_t pos = cb;
  for (const Span& s : spans) {
    if (s.end <= pos) continue;
    if (s.begin > pos) out += piece(pos, s.begin);
    out += MaskSecret(s.owner->secret);
    pos = s.end;
  }
  if (pos < ce) out += piece(pos, ce);
  if (f.cut_right) out += "...";
  return out;
}

void ScanState::EmitResults(std::vector<SecretMatch>* out) {
  std::sort(found_.begin(), found_.end(), [](const Found& a, const Found& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.end < b.end;
  });
  // One result per secret and rule: drop repeats and overlaps of the same rule (a match
  // seen from two overlapping windows).
  std::vector<const Found*> kept;
  std::vector<uint64_t> rule_end(d_->rules.size(), 0);
  std::vector<uint8_t> rule_seen(d_->rules.size(), 0);
  for (const Found& f : found_) {
    if (rule_seen[f.rule] && f.begin < rule_end[f.rule]) continue;
    rule_seen[f.rule] = 1;
    rule_end[f.rule] = f.end;
    kept.push_back(&f);
  }
  // Catch-all ("generic...") matches give way to a specific rule's overlapping match.
  std::vector<const Found*> specific;
  for (const Found* f : kept) {
    if (!IsGeneric(d_->rules[f->rule].rule)) specific.push_back(f);
  }
  if (specific.size() != kept.size()) {
    std::vector<const Found*> filtered;
    for (const Found* f : kept) {
      if (IsGeneric(d_->rules[f->rule].rule)) {
        auto it = std::lower_bound(specific.begin(), specific.end(), f->end,
                                   [](const Found* x, uint64_t v) { return x->begin < v; });
        bool overlapped = false;
        while (it != specific.begin() && !overlapped) {
          --it;
          overlapped = (*it)->end > f->begin;
          if ((*it)->begin + kUnitBytes + kLookbackBytes < f->begin) break;
        }
        if (overlapped) continue;
      }
      filtered.push_back(f);
    }
    kept.swap(filtered);
  }
  const size_t first = out->size();
  for (const Found* f : kept) {
    const Rule& rule = d_->rules[f->rule].rule;
    SecretMatch m;
    m.rule_id = rule.id;
    m.severity = rule.severity;
    m.title = rule.title;
    m.line = f->line;
    m.column = f->column;
    m.offset = f->begin;
    m.length = static_cast<uint32_t>(std::min<uint64_t>(f->end - f->begin, UINT32_MAX));
    m.masked_secret = MaskSecret(f->secret);
    m.masked_line = MaskedContext(*f, kept);
    out->push_back(std::move(m));
  }
  for (size_t i = 0; i < d_->rules.size(); ++i) {
    const CompiledRule& cr = d_->rules[i];
    if (cr.route != Route::kPathOnly || !rule_active_[i]) continue;
    SecretMatch m;
    m.rule_id = cr.rule.id;
    m.severity = cr.rule.severity;
    m.title = cr.rule.title;
    out->push_back(std::move(m));
  }
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
            [](const SecretMatch& a, const SecretMatch& b) {
              if (a.offset != b.offset) return a.offset < b.offset;
              if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
              return a.length < b.length;
            });
  for (Found& f : found_) std::fill(f.secret.begin(), f.secret.end(), '\0');
  found_.clear();
}

}  // namespace bulkhead::secret::internal
