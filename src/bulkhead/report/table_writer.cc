// The human view: target summary, packages, findings, controls and diagnostics as
// aligned columns. Colour only when asked (the CLI asks when stdout is a terminal).
#include <algorithm>
#include <map>
#include <vector>

#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {

constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kRed = "\033[31m";
constexpr std::string_view kYellow = "\033[33m";
constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kDim = "\033[2m";
constexpr std::string_view kReset = "\033[0m";

class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void Add(std::vector<std::string> row, std::string_view color = {}) {
    rows_.push_back(std::move(row));
    colors_.resize(rows_.size());
    colors_.back() = std::string(color);
  }
  void Print(std::ostream& out, bool color) const {
    std::vector<size_t> width;
    for (const auto& row : rows_) {
      width.resize(std::max(width.size(), row.size()));
      for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    for (size_t r = 0; r < rows_.size(); ++r) {
      std::string_view c = r == 0               ? kBold
                           : r < colors_.size() ? std::string_view(colors_[r])
                                                : std::string_view();
      if (color && !c.empty()) out << c;
      for (size_t i = 0; i < rows_[r].size(); ++i) {
        out << rows_[r][i];
        if (i + 1 < rows_[r].size()) out << std::string(width[i] - rows_[r][i].size() + 2, ' ');
      }
      if (color && !c.empty()) out << kReset;
      out << '\n';
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> colors_;
};

std::string ShortDigest(const std::string& digest) {
  return digest.rfind("sha256:", 0) == 0 ? digest.substr(7, 12) : digest;
}

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return kRed;
    case Severity::kMedium:
      return kYellow;
    default:
      return {};
  }
}

}  // namespace

void WriteTable(const Report& report, const WriteOptions& options, std::ostream& out) {
  const Target& t = report.target;
  const bool color = options.color;
  auto heading = [&](std::string_view text) {
    out << '\n';
    if (color) out << kBold;
    out << text;
    if (color) out << kReset;
    out << '\n';
  };
  // Manifests (k8s) have no OS, layers or packages; their findings name objects.
  const bool manifests = t.kind == "manifests";
  out << "Target:  " << t.name << '\n';
  if (!t.digest.empty()) out << "Digest:  " << t.digest << '\n';
  if (!manifests) {
    out << "OS:      " << (t.os.family.empty() ? "unknown" : t.os.family + " " + t.os.version);
    if (!t.architecture.empty()) out << " (" << t.architecture << ")";
    out << '\n';
  }
  if (!report.layers.empty()) out << "Layers:  " << report.layers.size() << '\n';

  std::map<std::string, size_t> layer_number;
  for (size_t i = 0; i < report.layers.size(); ++i) layer_number[report.layers[i].digest] = i + 1;

  std::map<std::string, size_t> by_type;
  for (const Package& p : report.packages) ++by_type[p.type];
  std::string counts;
  for (const auto& [type, n] : by_type) {
    counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + type;
  }
  if (!manifests || !report.packages.empty()) {
    heading("Packages (" + std::to_string(report.packages.size()) +
            (counts.empty() ? "" : ": " + counts) + ")");
  }
  if (!report.packages.empty()) {
    Table table({"NAME", "VERSION", "TYPE", "SOURCE", "LAYER"});
    for (const Package& p : report.packages) {
      std::string source = p.source_name == p.name && p.source_version == p.version
                               ? ""
                               : p.source_name + " " + p.source_version;
      auto it = layer_number.find(p.layer);
      table.Add({p.name, p.version, p.type, source,
                 it == layer_number.end() ? "" : std::to_string(it->second)});
    }
    table.Print(out, color);
  }

  // Vulnerabilities get their own table: what a reader acts on is the package, the
  // installed and the fixed version, and the distro's status.
  size_t vulnerabilities = 0;
  for (const Finding& f : report.findings) vulnerabilities += f.kind == FindingKind::kVulnerability;
  if (vulnerabilities) {
    heading("Vulnerabilities (" + std::to_string(vulnerabilities) + ")");
    Table table({"SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED", "STATUS", "TITLE"});
    for (const Finding& f : report.findings) {
      if (f.kind != FindingKind::kVulnerability) continue;
      std::string status = f.status;
      if (!f.status_note.empty() && f.status_note != f.status) status += " (" + f.status_note + ")";
      table.Add({std::string(SeverityName(f.severity)), f.id, f.package ? f.package->name : f.path,
                 f.installed_version, f.fixed_version, status, f.title},
                SeverityColor(f.severity));
    }
    table.Print(out, color);
  }

  heading("Findings (" + std::to_string(report.findings.size() - vulnerabilities) + ")");
  if (report.findings.size() > vulnerabilities) {
    Table table({"SEVERITY", "ID", "KIND", "WHERE", "TITLE"});
    for (const Finding& f : report.findings) {
      if (f.kind == FindingKind::kVulnerability) continue;
      std::string where = !f.object.empty() ? f.object : f.path;
      if (!f.container.empty()) where += " [" + f.container + "]";
      if (f.package) where = f.package->name + " " + f.package->version;
      table.Add({std::string(SeverityName(f.severity)), f.id, std::string(FindingKindName(f.kind)),
                 where, f.title},
                SeverityColor(f.severity));
    }
    table.Print(out, color);
  }

  if (!report.controls.empty()) {
    heading("NIST SP 800-190 controls");
    Table table({"CONTROL", "STATUS", "FINDINGS", "TITLE"});
    for (const ControlResult& c : report.controls) {
      std::string_view cc = c.status == ControlStatus::kFail   ? kRed
                            : c.status == ControlStatus::kPass ? kGreen
                                                               : kDim;
      table.Add({c.id, std::string(ControlStatusName(c.status)), std::to_string(c.finding_count),
                 c.title},
                cc);
    }
    table.Print(out, color);
  }

  if (!report.suppressed.empty()) {
    heading("Suppressed by policy (" + std::to_string(report.suppressed.size()) + ")");
    Table table({"ID", "WHERE", "BY", "REASON"});
    for (const SuppressedFinding& sf : report.suppressed) {
      const Finding& f = sf.finding;
      std::string where = !f.path.empty() ? f.path : f.object;
      if (f.package) where = f.package->name + " " + f.package->version;
      table.Add({f.id, where, sf.by, sf.reason});
    }
    table.Print(out, color);
  }
  if (!report.policy_notes.empty()) {
    heading("Policy notes (" + std::to_string(report.policy_notes.size()) + ")");
    for (const PolicyNote& n : report.policy_notes) {
      out << "  " << n.kind << ": " << n.subject << ": " << n.message << '\n';
    }
  }

  if (!report.diagnostics.empty()) {
    heading("Diagnostics (" + std::to_string(report.diagnostics.size()) + ")");
    for (const Diagnostic& d : report.diagnostics) {
      out << "  ";
      if (!d.layer.empty()) out << "[layer " << ShortDigest(d.layer) << "] ";
      if (!d.path.empty()) out << d.path << ": ";
      out << d.message;
      if (!d.source.empty()) out << " (" << d.source << ")";
      out << '\n';
    }
  }
}

}  // namespace bulkhead::report
