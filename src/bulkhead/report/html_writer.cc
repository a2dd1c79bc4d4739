// One self-contained HTML page: inline <style> and <script>, an inline SVG chart, and a
// Content-Security-Policy that allows exactly those two blocks (by hash) and nothing from
// anywhere else, so that the page fetches nothing even if opened from a web server. Every
// string from the report goes through EscapeMarkup; the output has no timestamps.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <vector>

#include "bulkhead/core/sha256.h"
#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {

constexpr std::string_view kStyle = R"CSS(
:root{--critical:#8e24aa;--high:#d32f2f;--medium:#ef6c00;--low:#c7a500;--unknown:#78909c;
--pass:#2e7d32;--fail:#c62828;--na:#8c959f;--kind:#0969da;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:16px 32px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#c9d1d9}
main{max-width:1240px;margin:0 auto;padding:8px 32px 32px}
section.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 20px;
margin:16px 0}
h2{margin:0 0 12px;font-size:18px}
h3{margin:18px 0 4px;font-size:15px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
thead th{background:#f6f8fa;font-weight:600}
table.kv th{width:170px;font-weight:600;color:var(--muted)}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.muted{color:var(--muted)}
.nowrap{white-space:nowrap}
.badge{display:inline-block;min-width:84px;text-align:center;padding:1px 8px;border-radius:10px;
color:#fff;font-size:12px;font-weight:600;white-space:nowrap}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}
.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}
.sev-unknown{background:var(--unknown)}
.st-pass{background:var(--pass)}.st-fail{background:var(--fail)}
.st-not-assessed{background:var(--na)}
tr.row-fail td{background:#ffebe9}tr.row-pass td{background:#dafbe1}
tr.row-not-assessed td{background:#f6f8fa;color:var(--muted)}
svg.chart text{font-size:12px;fill:#1f2328}
svg.chart text.group{font-weight:600}
.bar-critical{fill:var(--critical)}.bar-high{fill:var(--high)}.bar-medium{fill:var(--medium)}
.bar-low{fill:var(--low)}.bar-unknown{fill:var(--unknown)}.bar-kind{fill:var(--kind)}
.bar-track{fill:#eaeef2}
.filter{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:0 0 8px}
.filter input[type=search]{flex:1 1 280px;padding:6px 10px;border:1px solid var(--line);
border-radius:6px;font:inherit}
.filter label{white-space:nowrap}
section.layer{border-top:1px solid var(--line);margin-top:12px}
p.created{margin:0 0 6px}
.detail{margin-top:3px;font-size:12px;color:var(--muted)}
details summary{cursor:pointer;font-weight:600;font-size:16px}
details[open] summary{margin-bottom:10px}
footer{text-align:center;color:var(--muted);padding:0 0 24px;font-size:12px}
)CSS";

constexpr std::string_view kScript = R"JS(
(function () {
  var text = document.getElementById('filter-text');
  if (!text) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.filter input[data-sev]'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.layer'));
  var count = document.getElementById('filter-count');
  function apply() {
    var q = text.value.trim().toLowerCase();
    var on = {};
    boxes.forEach(function (b) { on[b.getAttribute('data-sev')] = b.checked; });
    var shown = 0, total = 0;
    groups.forEach(function (g) {
      var n = 0;
      g.querySelectorAll('tr[data-sev]').forEach(function (r) {
        var ok = on[r.getAttribute('data-sev')] &&
                 (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
        r.hidden = !ok;
        total++;
        if (ok) n++;
      });
      g.hidden = n === 0;
      shown += n;
    });
    count.textContent = shown + ' of ' + total + ' shown';
  }
  text.addEventListener('input', apply);
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
})();
)JS";

constexpr std::array<Severity, 5> kSeverities = {
    Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kUnknown};
constexpr std::array<FindingKind, 4> kKinds = {FindingKind::kVulnerability, FindingKind::kSecret,
                                               FindingKind::kMalware,
                                               FindingKind::kMisconfiguration};

std::string E(std::string_view text) { return EscapeMarkup(text); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// The CSP source for an inline block: 'sha256-<base64 of the SHA-256 of its text>'.
std::string CspHash(std::string_view text) {
  const std::string hex = Sha256Digest(text).substr(7);
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kB64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kB64[n & 63] : '=';
  }
  return "'sha256-" + out + "'";
}

std::string HumanSize(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  size_t unit = 0;
  while (v >= 1024 && unit + 1 < std::size(kUnits)) v /= 1024, ++unit;
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", v, kUnits[unit]);
  return buf;
}

std::string SeverityBadge(Severity s) {
  const std::string name(SeverityName(s));
  return "<span class=\"badge sev-" + Lower(name) + "\">" + name + "</span>";
}

std::string Where(const Finding& f) {
  std::string where;
  if (f.package) where = f.package->name + " " + f.package->version;
  if (!f.path.empty()) {
    if (!where.empty()) where += ", ";
    where += f.path + (f.line ? ":" + std::to_string(f.line) : "");
  }
  if (!f.object.empty()) where += (where.empty() ? "" : ", ") + f.object;
  if (!f.container.empty()) where += " [" + f.container + "]";
  if (f.kind == FindingKind::kVulnerability) {
    // What a reader acts on: the fix, or the distro's reason there is none.
    where += f.fixed_version.empty()
                 ? " (" + f.status + (f.status_note.empty() ? "" : ": " + f.status_note) + ")"
                 : " -> " + f.fixed_version;
  }
  return where;
}

class Page {
 public:
  Page(const Report& report, const WriteOptions& options, std::ostream& out)
      : r_(report), options_(options), out_(out) {
    for (size_t i = 0; i < r_.layers.size(); ++i) layer_number_[r_.layers[i].digest] = i + 1;
  }
  void Write();

 private:
  void Head();
  void TargetCard();
  void SummaryCard();
  void Bars(const std::vector<std::pair<std::string, size_t>>& bars, std::string_view title,
            int* y);
  void ControlsCard();
  void FindingsCard();
  void FindingGroup(const std::string& layer, const std::vector<const Finding*>& findings);
  void PackagesCard();
  void DiagnosticsCard();
  /// 1-based position of the layer in the image; 0 when the image does not list it.
  size_t LayerNumber(const std::string& digest) const {
    auto it = layer_number_.find(digest);
    return it == layer_number_.end() ? 0 : it->second;
  }
  std::string LayerLabel(const std::string& digest) const {
    const size_t n = LayerNumber(digest);
    return n ? std::to_string(n) : "";
  }

  const Report& r_;
  const WriteOptions& options_;
  std::ostream& out_;
  std::map<std::string, size_t> layer_number_;
};

void Page::Write() {
  Head();
  out_ << "<body>\n<header><h1>bulkhead report</h1><p>NIST SP 800-190 container scan of "
       << E(r_.target.name) << "</p></header>\n<main>\n";
  TargetCard();
  SummaryCard();
  ControlsCard();
  FindingsCard();
  PackagesCard();
  DiagnosticsCard();
  out_ << "</main>\n<footer>Generated by bulkhead " << E(options_.tool_version)
       << ". This page loads nothing from the network.</footer>\n<script>" << kScript
       << "</script>\n</body>\n</html>\n";
}

void Page::Head() {
  out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       << CspHash(kStyle) << "; script-src " << CspHash(kScript)
       << "; img-src data:; form-action 'none'; base-uri 'none'\">\n"
       << "<meta name=\"referrer\" content=\"no-referrer\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       << "<title>bulkhead: " << E(r_.target.name) << "</title>\n<style>" << kStyle
       << "</style>\n</head>\n";
}

void Page::TargetCard() {
  const Target& t = r_.target;
  out_ << "<section class=\"card\" id=\"target\">\n<h2>Target</h2>\n<table class=\"kv\">\n";
  auto row = [&](std::string_view key, const std::string& value, bool code = false) {
    if (value.empty()) return;
    out_ << "<tr><th>" << key << "</th><td>" << (code ? "<code>" : "") << E(value)
         << (code ? "</code>" : "") << "</td></tr>\n";
  };
  row("Name", t.name);
  row("Kind", t.kind);
  row("Digest", t.digest, true);
  row("Config digest", t.config_digest, true);
  std::string os = t.os.family.empty() ? "unknown" : t.os.family + " " + t.os.version;
  if (!t.os.pretty_name.empty()) os += " (" + t.os.pretty_name + ")";
  row("OS", os);
  row("Platform", t.os_name.empty() ? t.architecture : t.os_name + "/" + t.architecture);
  row("Created", t.created);
  std::string tags;
  for (const std::string& tag : t.repo_tags) tags += (tags.empty() ? "" : ", ") + tag;
  row("Tags", tags);
  row("Layers", std::to_string(r_.layers.size()));
  row("Packages", std::to_string(r_.packages.size()));
  row("Findings", std::to_string(r_.findings.size()));
  out_ << "</table>\n";
  if (!r_.layers.empty()) {
    out_ << "<h3>Layers</h3>\n<table id=\"layers\">\n<thead><tr><th>#</th><th>Digest</th>"
         << "<th>Size</th><th>Created by</th></tr></thead>\n<tbody>\n";
    for (size_t i = 0; i < r_.layers.size(); ++i) {
      const LayerInfo& l = r_.layers[i];
      out_ << "<tr><td>" << i + 1 << "</td><td><code>" << E(l.digest)
           << "</code></td><td class=\"nowrap\">" << HumanSize(l.size) << "</td><td><code>"
           << E(l.created_by) << "</code></td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n";
  }
  out_ << "</section>\n";
}

// Horizontal bars for one group of the chart, each scaled to the group's largest count.
void Page::Bars(const std::vector<std::pair<std::string, size_t>>& bars, std::string_view title,
                int* y) {
  constexpr int kLabelWidth = 130;
  constexpr int kBarWidth = 520;
  constexpr int kRow = 24;
  size_t max = 0;
  for (const auto& [label, n] : bars) max = std::max(max, n);
  out_ << "<text class=\"group\" x=\"0\" y=\"" << *y + 14 << "\">" << title << "</text>\n";
  *y += 22;
  for (const auto& [label, n] : bars) {
    const int width =
        max == 0 ? 0 : std::max<int>(n ? 2 : 0, static_cast<int>(n * kBarWidth / max));
    const std::string cls = label.rfind("kind:", 0) == 0 ? "bar-kind" : "bar-" + Lower(label);
    const std::string name = label.rfind("kind:", 0) == 0 ? label.substr(5) : label;
    out_ << "<g><title>" << name << ": " << n << "</title><text x=\"0\" y=\"" << *y + 13 << "\">"
         << name << "</text><rect class=\"bar-track\" x=\"" << kLabelWidth << "\" y=\"" << *y
         << "\" width=\"" << kBarWidth << "\" height=\"18\" rx=\"3\"/><rect class=\"" << cls
         << "\" x=\"" << kLabelWidth << "\" y=\"" << *y << "\" width=\"" << width
         << "\" height=\"18\" rx=\"3\"/><text x=\"" << kLabelWidth + kBarWidth + 8 << "\" y=\""
         << *y + 13 << "\">" << n << "</text></g>\n";
    *y += kRow;
  }
}

void Page::SummaryCard() {
  std::map<Severity, size_t> by_severity;
  std::map<FindingKind, size_t> by_kind;
  for (const Finding& f : r_.findings) ++by_severity[f.severity], ++by_kind[f.kind];
  std::vector<std::pair<std::string, size_t>> sev_bars, kind_bars;
  for (Severity s : kSeverities) sev_bars.emplace_back(SeverityName(s), by_severity[s]);
  for (FindingKind k : kKinds) {
    kind_bars.emplace_back("kind:" + std::string(FindingKindName(k)), by_kind[k]);
  }
  out_ << "<section class=\"card\" id=\"summary\">\n<h2>Summary</h2>\n<p>" << r_.findings.size()
       << " finding" << (r_.findings.size() == 1 ? "" : "s");
  for (Severity s : kSeverities) {
    if (by_severity[s]) out_ << ", " << by_severity[s] << " " << SeverityName(s);
  }
  size_t failed = 0;
  for (const ControlResult& c : r_.controls) failed += c.status == ControlStatus::kFail;
  out_ << ". " << failed << " of " << r_.controls.size() << " controls failed. "
       << r_.diagnostics.size() << " diagnostic" << (r_.diagnostics.size() == 1 ? "" : "s")
       << ".</p>\n";
  constexpr int kHeight = 22 + 5 * 24 + 12 + 22 + 4 * 24;
  out_ << "<svg class=\"chart\" role=\"img\" aria-label=\"Findings by severity and kind\" "
       << "width=\"700\" height=\"" << kHeight << "\" viewBox=\"0 0 700 " << kHeight << "\">\n";
  int y = 0;
  Bars(sev_bars, "By severity", &y);
  y += 12;
  Bars(kind_bars, "By kind", &y);
  out_ << "</svg>\n</section>\n";
}

void Page::ControlsCard() {
  out_ << "<section class=\"card\" id=\"controls\">\n<h2>NIST SP 800-190 controls</h2>\n";
  if (r_.controls.empty()) {
    out_ << "<p class=\"muted\">No controls in scope.</p>\n</section>\n";
    return;
  }
  out_ << "<table id=\"control-table\">\n<thead><tr><th>Control</th><th>Title</th><th>Status</th>"
       << "<th>Findings</th><th>Finding ids</th></tr></thead>\n<tbody>\n";
  for (const ControlResult& c : r_.controls) {
    const std::string status(ControlStatusName(c.status));
    std::string ids;
    for (const std::string& id : c.finding_ids) ids += (ids.empty() ? "" : ", ") + id;
    out_ << "<tr class=\"row-" << status << "\"><td>" << E(c.id) << "</td><td>" << E(c.title)
         << "</td><td><span class=\"badge st-" << status << "\">" << status << "</span></td><td>"
         << c.finding_count << "</td><td><code>" << E(ids) << "</code></td></tr>\n";
  }
  out_ << "</tbody>\n</table>\n</section>\n";
}

void Page::FindingsCard() {
  out_ << "<section class=\"card\" id=\"findings\">\n<h2>Findings (" << r_.findings.size()
       << ")</h2>\n";
  if (r_.findings.empty()) {
    out_ << "<p class=\"muted\">No findings.</p>\n</section>\n";
    return;
  }
  out_ << "<div class=\"filter\"><input type=\"search\" id=\"filter-text\" "
       << "placeholder=\"Filter by id, title, path, package...\" aria-label=\"Filter findings\">";
  for (Severity s : kSeverities) {
    out_ << "<label><input type=\"checkbox\" data-sev=\"" << SeverityName(s) << "\" checked> "
         << SeverityName(s) << "</label>";
  }
  // The script rewrites this as "N of M shown"; until it runs, it shows the total.
  out_ << "<span id=\"filter-count\" class=\"muted\">" << r_.findings.size()
       << " findings</span></div>\n";
  // Known layers in image order, then digests the image does not list, then no layer.
  std::map<std::string, std::vector<const Finding*>> by_layer;
  for (const Finding& f : r_.findings) by_layer[f.layer].push_back(&f);
  for (const LayerInfo& l : r_.layers) {
    auto it = by_layer.find(l.digest);
    if (it != by_layer.end()) FindingGroup(l.digest, it->second);
  }
  for (const auto& [layer, findings] : by_layer) {
    if (!layer.empty() && !LayerNumber(layer)) FindingGroup(layer, findings);
  }
  if (by_layer.count("")) FindingGroup("", by_layer.at(""));
  out_ << "</section>\n";
}

void Page::FindingGroup(const std::string& layer, const std::vector<const Finding*>& findings) {
  out_ << "<section class=\"layer\">\n<h3>";
  const size_t number = LayerNumber(layer);
  if (layer.empty()) {
    out_ << "Not tied to a layer (image configuration, manifests)";
  } else {
    out_ << "Layer " << (number ? std::to_string(number) + " " : "") << "<code>" << E(layer)
         << "</code>";
  }
  out_ << " <span class=\"muted\">(" << findings.size() << ")</span></h3>\n";
  if (number) {
    const LayerInfo& l = r_.layers[number - 1];
    out_ << "<p class=\"created muted\">Created by <code>"
         << E(l.created_by.empty() ? "(unknown)" : l.created_by) << "</code></p>\n";
  }
  out_ << "<table class=\"findings\">\n<thead><tr><th>Severity</th><th>ID</th><th>Kind</th>"
       << "<th>Where</th><th>Title</th><th>Controls</th></tr></thead>\n<tbody>\n";
  for (const Finding* f : findings) {
    std::string controls;
    for (const std::string& c : f->controls) controls += (controls.empty() ? "" : ", ") + c;
    out_ << "<tr data-sev=\"" << SeverityName(f->severity) << "\"><td>"
         << SeverityBadge(f->severity) << "</td><td><code>" << E(f->id) << "</code></td><td>"
         << FindingKindName(f->kind) << "</td><td><code>" << E(Where(*f)) << "</code></td><td>"
         << E(f->title);
    if (!f->remediation.empty()) {
      out_ << "<div class=\"detail\">Fix: " << E(f->remediation) << "</div>";
    }
    for (const std::string& ref : f->references) {
      out_ << "<div class=\"detail\"><code>" << E(ref) << "</code></div>";
    }
    out_ << "</td><td>" << E(controls) << "</td></tr>\n";
  }
  out_ << "</tbody>\n</table>\n</section>\n";
}

void Page::PackagesCard() {
  out_ << "<section class=\"card\" id=\"packages\">\n<details>\n<summary>Packages ("
       << r_.packages.size() << ")</summary>\n";
  if (r_.packages.empty()) {
    out_ << "<p class=\"muted\">No packages found.</p>\n</details>\n</section>\n";
    return;
  }
  out_ << "<table>\n<thead><tr><th>Name</th><th>Version</th><th>Type</th><th>Source</th>"
       << "<th>Arch</th><th>Layer</th><th>purl</th></tr></thead>\n<tbody>\n";
  for (const Package& p : r_.packages) {
    std::string source = p.source_name == p.name && p.source_version == p.version
                             ? ""
                             : p.source_name + " " + p.source_version;
    out_ << "<tr><td>" << E(p.name) << "</td><td>" << E(p.version) << "</td><td>" << E(p.type)
         << "</td><td>" << E(source) << "</td><td>" << E(p.arch) << "</td><td>"
         << LayerLabel(p.layer) << "</td><td><code>" << E(p.purl) << "</code></td></tr>\n";
  }
  out_ << "</tbody>\n</table>\n</details>\n</section>\n";
}

void Page::DiagnosticsCard() {
  out_ << "<section class=\"card\" id=\"diagnostics\">\n<h2>Diagnostics (" << r_.diagnostics.size()
       << ")</h2>\n";
  if (r_.diagnostics.empty()) {
    out_ << "<p class=\"muted\">Everything could be read.</p>\n</section>\n";
    return;
  }
  out_ << "<table>\n<thead><tr><th>Layer</th><th>Path</th><th>Source</th><th>Message</th></tr>"
       << "</thead>\n<tbody>\n";
  for (const Diagnostic& d : r_.diagnostics) {
    std::string layer = LayerLabel(d.layer);
    out_ << "<tr><td>" << (layer.empty() ? "<code>" + E(d.layer) + "</code>" : layer)
         << "</td><td><code>" << E(d.path) << "</code></td><td>" << E(d.source) << "</td><td>"
         << E(d.message) << "</td></tr>\n";
  }
  out_ << "</tbody>\n</table>\n</section>\n";
}

}  // namespace

void WriteHtml(const Report& report, const WriteOptions& options, std::ostream& out) {
  Page(report, options, out).Write();
}

}  // namespace bulkhead::report
