// JUnit XML for CI test views: one testsuite named after the target. Each NIST SP 800-190
// control of the report is a testcase ("nist-800-190") that fails, passes or is skipped
// with the control's status; each distinct finding id is a failed testcase listing its
// occurrences. Every string goes through EscapeMarkup, so hostile file names can neither
// break the XML nor put characters in it that XML 1.0 forbids.
#include <map>
#include <vector>

#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {

std::string Plural(size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

// One line of a failure's text: "HIGH CVE-1: title (where) [layer sha256:...]".
std::string FindingLine(const Finding& f) {
  std::string line = std::string(SeverityName(f.severity)) + " " + f.id + ": " + f.title;
  if (f.package) line += " (" + f.package->name + " " + f.package->version + ")";
  if (!f.path.empty()) line += " (" + f.path + (f.line ? ":" + std::to_string(f.line) : "") + ")";
  if (!f.object.empty()) line += " (" + f.object + ")";
  if (!f.layer.empty()) line += " [layer " + f.layer + "]";
  return line + "\n";
}

struct Case {
  std::string classname;
  std::string name;
  enum { kPass, kFail, kSkip } outcome = kPass;
  std::string message;  // of the failure
  std::string type;     // of the failure
  std::string text;     // of the failure
};

void WriteCase(const Case& c, std::ostream& out) {
  out << "    <testcase classname=\"" << EscapeMarkup(c.classname, true) << "\" name=\""
      << EscapeMarkup(c.name, true) << "\" time=\"0\"";
  if (c.outcome == Case::kPass) {
    out << "/>\n";
    return;
  }
  out << ">\n";
  if (c.outcome == Case::kSkip) {
    out << "      <skipped message=\"" << EscapeMarkup(c.message, true) << "\"/>\n";
  } else {
    out << "      <failure message=\"" << EscapeMarkup(c.message, true) << "\" type=\""
        << EscapeMarkup(c.type, true) << "\">" << EscapeMarkup(c.text) << "</failure>\n";
  }
  out << "    </testcase>\n";
}

std::vector<Case> ControlCases(const Report& report) {
  std::vector<Case> cases;
  for (const ControlResult& c : report.controls) {
    Case tc;
    tc.classname = "nist-800-190";
    tc.name = c.title.empty() ? c.id : c.id + " " + c.title;
    if (c.status == ControlStatus::kFail) {
      tc.outcome = Case::kFail;
      tc.message = Plural(c.finding_count, "finding");
      tc.type = "fail";
      for (const Finding& f : report.findings) {
        for (const std::string& id : f.controls) {
          if (id == c.id) tc.text += FindingLine(f);
        }
      }
    } else if (c.status == ControlStatus::kNotAssessed) {
      tc.outcome = Case::kSkip;
      tc.message = "not assessed";
    }
    cases.push_back(std::move(tc));
  }
  return cases;
}

std::vector<Case> FindingCases(const Report& report) {
  std::map<std::string, std::vector<const Finding*>> by_id;
  for (const Finding& f : report.findings) by_id[f.id].push_back(&f);
  std::vector<Case> cases;
  for (const auto& [id, found] : by_id) {
    const Finding& first = *found.front();  // the most severe (findings are sorted)
    bool one_title = true;
    for (const Finding* f : found) one_title = one_title && f->title == first.title;
    Case tc;
    tc.classname = "bulkhead." + std::string(FindingKindName(first.kind));
    tc.name = one_title && !first.title.empty() ? id + " " + first.title : id;
    tc.outcome = Case::kFail;
    tc.message = Plural(found.size(), "occurrence");
    tc.type = std::string(SeverityName(first.severity));
    if (!first.description.empty()) tc.text += first.description + "\n";
    if (!first.remediation.empty()) tc.text += "Remediation: " + first.remediation + "\n";
    if (!tc.text.empty()) tc.text += "\n";
    for (const Finding* f : found) tc.text += FindingLine(*f);
    cases.push_back(std::move(tc));
  }
  return cases;
}

}  // namespace

void WriteJunit(const Report& report, const WriteOptions& options, std::ostream& out) {
  std::vector<Case> cases = ControlCases(report);
  std::vector<Case> finding_cases = FindingCases(report);
  cases.insert(cases.end(), finding_cases.begin(), finding_cases.end());
  size_t failures = 0;
  size_t skipped = 0;
  for (const Case& c : cases) {
    failures += c.outcome == Case::kFail;
    skipped += c.outcome == Case::kSkip;
  }
  const std::string counts = "tests=\"" + std::to_string(cases.size()) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
                             std::to_string(skipped) + "\" time=\"0\"";
  const Target& t = report.target;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"bulkhead\" " << counts << ">\n";
  out << "  <testsuite name=\"" << EscapeMarkup(t.name, true) << "\" " << counts << ">\n";
  out << "    <properties>\n";
  auto property = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    out << "      <property name=\"" << name << "\" value=\"" << EscapeMarkup(value, true)
        << "\"/>\n";
  };
  property("bulkhead.version", options.tool_version);
  property("target.kind", t.kind);
  property("target.digest", t.digest);
  property("target.os", t.os.family.empty() ? "" : t.os.family + " " + t.os.version);
  property("target.architecture", t.architecture);
  property("target.layers", report.layers.empty() ? "" : std::to_string(report.layers.size()));
  property("target.packages", std::to_string(report.packages.size()));
  out << "    </properties>\n";
  for (const Case& c : cases) WriteCase(c, out);
  if (!report.diagnostics.empty()) {
    std::string text;
    for (const Diagnostic& d : report.diagnostics) {
      if (!d.layer.empty()) text += "[layer " + d.layer + "] ";
      if (!d.path.empty()) text += d.path + ": ";
      text += d.message;
      if (!d.source.empty()) text += " (" + d.source + ")";
      text += "\n";
    }
    out << "    <system-err>" << EscapeMarkup(text) << "</system-err>\n";
  }
  out << "  </testsuite>\n";
  out << "</testsuites>\n";
}

}  // namespace bulkhead::report
