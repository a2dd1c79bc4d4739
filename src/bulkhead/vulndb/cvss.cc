#include "bulkhead/vulndb/cvss.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace bulkhead::vulndb {
namespace {

// One metric of a version: its abbreviation and the values the specification allows.
struct MetricDef {
  std::string_view name;
  std::array<std::string_view, 5> values;  // unused slots are empty
  bool mandatory = false;
};

// Chosen values by metric index (the index in the version's MetricDef table); empty when
// the metric is absent. Views into the caller's vector.
constexpr size_t kMaxMetrics = 32;
using Values = std::array<std::string_view, kMaxMetrics>;

// The vector as it may appear in a one-line message: printable ASCII only, shortened.
std::string Printable(std::string_view s) {
  constexpr size_t kMaxShownBytes = 80;
  std::string out;
  for (char c : s.substr(0, kMaxShownBytes)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > kMaxShownBytes) out += "...";
  return out;
}

Status Invalid(std::string_view vector, std::string_view what) {
  std::string msg = "invalid CVSS vector \"";
  msg += Printable(vector);
  msg += "\": ";
  msg += what;
  return Status::InvalidArgument(std::move(msg));
}

// Splits `body` ("AV:N/AC:L/...") into `out`, checking names, values, duplicates and
// mandatory metrics against `defs`.
Status ParseMetrics(std::string_view vector, std::string_view body, std::span<const MetricDef> defs,
                    Values* out) {
  out->fill({});
  size_t start = 0;
  while (start <= body.size()) {
    size_t slash = body.find('/', start);
    if (slash == std::string_view::npos) slash = body.size();
    std::string_view part = body.substr(start, slash - start);
    if (part.empty()) return Invalid(vector, "empty metric (stray '/')");
    size_t colon = part.find(':');
    if (colon == std::string_view::npos) {
      return Invalid(vector, "metric \"" + Printable(part) + "\" has no value");
    }
    std::string_view name = part.substr(0, colon);
    std::string_view value = part.substr(colon + 1);
    auto def = std::find_if(defs.begin(), defs.end(),
                            [name](const MetricDef& d) { return d.name == name; });
    if (def == defs.end()) return Invalid(vector, "unknown metric \"" + Printable(name) + "\"");
    const size_t index = static_cast<size_t>(def - defs.begin());
    if (!(*out)[index].empty()) {
      return Invalid(vector, "duplicate metric " + std::string(name));
    }
    if (value.empty() ||
        std::find(def->values.begin(), def->values.end(), value) == def->values.end()) {
      return Invalid(vector,
                     "bad value \"" + Printable(value) + "\" for metric " + std::string(name));
    }
    (*out)[index] = value;
    start = slash + 1;
  }
  for (size_t i = 0; i < defs.size(); ++i) {
    if (defs[i].mandatory && (*out)[i].empty()) {
      return Invalid(vector, "missing mandatory metric " + std::string(defs[i].name));
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------
// CVSS v3.0 / v3.1 (specification sections 2-4 and 7; base equations in 7.1).

namespace v3 {

enum Metric : uint8_t { kAV, kAC, kPR, kUI, kS, kC, kI, kA };

constexpr MetricDef kMetrics[] = {
    // Base.
    {"AV", {"N", "A", "L", "P"}, true},
    {"AC", {"L", "H"}, true},
    {"PR", {"N", "L", "H"}, true},
    {"UI", {"N", "R"}, true},
    {"S", {"U", "C"}, true},
    {"C", {"H", "L", "N"}, true},
    {"I", {"H", "L", "N"}, true},
    {"A", {"H", "L", "N"}, true},
    // Temporal.
    {"E", {"X", "U", "P", "F", "H"}},
    {"RL", {"X", "O", "T", "W", "U"}},
    {"RC", {"X", "U", "R", "C"}},
    // Environmental.
    {"CR", {"X", "L", "M", "H"}},
    {"IR", {"X", "L", "M", "H"}},
    {"AR", {"X", "L", "M", "H"}},
    {"MAV", {"X", "N", "A", "L", "P"}},
    {"MAC", {"X", "L", "H"}},
    {"MPR", {"X", "N", "L", "H"}},
    {"MUI", {"X", "N", "R"}},
    {"MS", {"X", "U", "C"}},
    {"MC", {"X", "N", "L", "H"}},
    {"MI", {"X", "N", "L", "H"}},
    {"MA", {"X", "N", "L", "H"}},
};
static_assert(std::size(kMetrics) <= kMaxMetrics);

// v3.0 Roundup: the smallest one-decimal number >= x, on the floating-point value.
double Roundup30(double x) { return std::ceil(x * 10) / 10; }

// v3.1 Roundup (Appendix A): works on an integer so that, e.g., 4.000000000000001 from
// floating-point error is 4.0 and not 4.1.
double Roundup31(double x) {
  const int64_t int_input = static_cast<int64_t>(std::round(x * 100000));
  if (int_input % 10000 == 0) return static_cast<double>(int_input) / 100000.0;
  return static_cast<double>(int_input / 10000 + 1) / 10.0;
}

double Cia(char v) { return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0; }

double BaseScore(const Values& v, bool v31) {
  const bool changed = v[kS][0] == 'C';
  const double iss = 1 - ((1 - Cia(v[kC][0])) * (1 - Cia(v[kI][0])) * (1 - Cia(v[kA][0])));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  if (impact <= 0) return 0;
  const char av = v[kAV][0];
  const char pr = v[kPR][0];
  const double av_w = av == 'N' ? 0.85 : av == 'A' ? 0.62 : av == 'L' ? 0.55 : 0.2;
  const double ac_w = v[kAC][0] == 'L' ? 0.77 : 0.44;
  // Privileges weigh more when the scope changes.
  const double pr_w = pr == 'N'   ? 0.85
                      : pr == 'L' ? (changed ? 0.68 : 0.62)
                                  : (changed ? 0.5 : 0.27);
  const double ui_w = v[kUI][0] == 'N' ? 0.85 : 0.62;
  const double exploitability = 8.22 * av_w * ac_w * pr_w * ui_w;
  const double raw = changed ? std::min(1.08 * (impact + exploitability), 10.0)
                             : std::min(impact + exploitability, 10.0);
  return v31 ? Roundup31(raw) : Roundup30(raw);
}

}  // namespace v3

// ---------------------------------------------------------------------------------------
// CVSS v4.0, after FIRST's reference calculator (cvss_score.js, cvss_lookup.js,
// max_composed.js, max_severity.js in github.com/FIRSTdotorg/cvss-v4-calculator). The
// floating-point operations are done in the reference's order so that ties round alike.

namespace v4 {

enum Metric : uint8_t {
  kAV,
  kAC,
  kAT,
  kPR,
  kUI,
  kVC,
  kVI,
  kVA,
  kSC,
  kSI,
  kSA,  // base
  kE,   // threat
  kCR,
  kIR,
  kAR,
  kMAV,
  kMAC,
  kMAT,
  kMPR,
  kMUI,
  kMVC,
  kMVI,
  kMVA,
  kMSC,
  kMSI,
  kMSA,
};

constexpr MetricDef kMetrics[] = {
    // Base.
    {"AV", {"N", "A", "L", "P"}, true},
    {"AC", {"L", "H"}, true},
    {"AT", {"N", "P"}, true},
    {"PR", {"N", "L", "H"}, true},
    {"UI", {"N", "P", "A"}, true},
    {"VC", {"H", "L", "N"}, true},
    {"VI", {"H", "L", "N"}, true},
    {"VA", {"H", "L", "N"}, true},
    {"SC", {"H", "L", "N"}, true},
    {"SI", {"H", "L", "N"}, true},
    {"SA", {"H", "L", "N"}, true},
    // Threat.
    {"E", {"X", "A", "P", "U"}},
    // Environmental.
    {"CR", {"X", "H", "M", "L"}},
    {"IR", {"X", "H", "M", "L"}},
    {"AR", {"X", "H", "M", "L"}},
    {"MAV", {"X", "N", "A", "L", "P"}},
    {"MAC", {"X", "L", "H"}},
    {"MAT", {"X", "N", "P"}},
    {"MPR", {"X", "N", "L", "H"}},
    {"MUI", {"X", "N", "P", "A"}},
    {"MVC", {"X", "H", "L", "N"}},
    {"MVI", {"X", "H", "L", "N"}},
    {"MVA", {"X", "H", "L", "N"}},
    {"MSC", {"X", "H", "L", "N"}},
    {"MSI", {"X", "S", "H", "L", "N"}},
    {"MSA", {"X", "S", "H", "L", "N"}},
    // Supplemental: validated, never scored.
    {"S", {"X", "N", "P"}},
    {"AU", {"X", "N", "Y"}},
    {"R", {"X", "A", "U", "I"}},
    {"V", {"X", "D", "C"}},
    {"RE", {"X", "L", "M", "H"}},
    {"U", {"X", "Clear", "Green", "Amber", "Red"}},
};
static_assert(std::size(kMetrics) <= kMaxMetrics);

struct MacroScore {
  std::string_view eqs;  // EQ1..EQ6 levels, e.g. "002201"
  double score;
};

// The score of every macrovector: data from the CVSS v4.0 specification, as published in
// FIRST's reference calculator (cvss_lookup.js; the same table is in Red Hat's cvss40.js
// and the `cvss` Python package). Sorted by key; EQ3=2 exists only with EQ6=1.
constexpr MacroScore kMacroScores[] = {
    {"000000", 10},  {"000001", 9.9}, {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5},
    {"000021", 9.2}, {"000100", 10},  {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7},
    {"000120", 9.1}, {"000121", 8.1}, {"000200", 9.3}, {"000201", 9},   {"000210", 8.9},
    {"000211", 8},   {"000220", 8.1}, {"000221", 6.8}, {"001000", 9.8}, {"001001", 9.5},
    {"001010", 9.5}, {"001011", 9.2}, {"001020", 9},   {"001021", 8.4}, {"001100", 9.3},
    {"001101", 9.2}, {"001110", 8.9}, {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8}, {"001201", 8},   {"001210", 7.8}, {"001211", 7},   {"001220", 6.9},
    {"001221", 4.8}, {"002001", 9.2}, {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9},
    {"002111", 6.9}, {"002121", 5},   {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7},
    {"010000", 9.9}, {"010001", 9.7}, {"010010", 9.5}, {"010011", 9.2}, {"010020", 9.2},
    {"010021", 8.5}, {"010100", 9.5}, {"010101", 9.1}, {"010110", 9},   {"010111", 8.3},
    {"010120", 8.4}, {"010121", 7.1}, {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1}, {"010220", 7.2}, {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3},
    {"011010", 9.2}, {"011011", 8.5}, {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2},
    {"011101", 8.2}, {"011110", 8},   {"011111", 7.2}, {"011120", 7},   {"011121", 5.9},
    {"011200", 8.4}, {"011201", 7},   {"011210", 7.1}, {"011211", 5.2}, {"011220", 5},
    {"011221", 3},   {"012001", 8.6}, {"012011", 7.5}, {"012021", 5.2}, {"012101", 7.1},
    {"012111", 5.2}, {"012121", 2.9}, {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8}, {"100001", 9.5}, {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1},
    {"100021", 8.1}, {"100100", 9.4}, {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4},
    {"100120", 7.7}, {"100121", 6.4}, {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4},
    {"100211", 6.3}, {"100220", 6.3}, {"100221", 4.9}, {"101000", 9.4}, {"101001", 8.9},
    {"101010", 8.8}, {"101011", 7.7}, {"101020", 7.6}, {"101021", 6.7}, {"101100", 8.6},
    {"101101", 7.6}, {"101110", 7.4}, {"101111", 5.8}, {"101120", 5.9}, {"101121", 5},
    {"101200", 7.2}, {"101201", 5.7}, {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2},
    {"101221", 2.5}, {"102001", 8.3}, {"102011", 7},   {"102021", 5.4}, {"102101", 6.5},
    {"102111", 5.8}, {"102121", 2.6}, {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3},
    {"110000", 9.5}, {"110001", 9},   {"110010", 8.8}, {"110011", 7.6}, {"110020", 7.6},
    {"110021", 7},   {"110100", 9},   {"110101", 7.7}, {"110110", 7.5}, {"110111", 6.2},
    {"110120", 6.1}, {"110121", 5.3}, {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9}, {"110220", 5.2}, {"110221", 3},   {"111000", 8.9}, {"111001", 7.8},
    {"111010", 7.6}, {"111011", 6.7}, {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4},
    {"111101", 5.9}, {"111110", 5.7}, {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3},
    {"111200", 6.1}, {"111201", 5.2}, {"111210", 5.7}, {"111211", 2.9}, {"111220", 2.4},
    {"111221", 1.6}, {"112001", 7.1}, {"112011", 5.9}, {"112021", 3},   {"112101", 5.8},
    {"112111", 2.6}, {"112121", 1.5}, {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3}, {"200001", 8.7}, {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5},
    {"200021", 5.8}, {"200100", 8.6}, {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1},
    {"200120", 5.6}, {"200121", 3.4}, {"200200", 7},   {"200201", 5.4}, {"200210", 5.2},
    {"200211", 4},   {"200220", 4},   {"200221", 2.2}, {"201000", 8.5}, {"201001", 7.5},
    {"201010", 7.4}, {"201011", 5.5}, {"201020", 6.2}, {"201021", 5.1}, {"201100", 7.2},
    {"201101", 5.7}, {"201110", 5.5}, {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3}, {"201201", 3.6}, {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9},
    {"201221", 0.8}, {"202001", 6.4}, {"202011", 5.1}, {"202021", 2},   {"202101", 4.7},
    {"202111", 2.1}, {"202121", 1.1}, {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4},
    {"210000", 8.8}, {"210001", 7.5}, {"210010", 7.3}, {"210011", 5.3}, {"210020", 6},
    {"210021", 5},   {"210100", 7.3}, {"210101", 5.5}, {"210110", 5.9}, {"210111", 4},
    {"210120", 4.1}, {"210121", 2},   {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2}, {"210220", 2},   {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5},
    {"211010", 5.8}, {"211011", 4.5}, {"211020", 4},   {"211021", 2.1}, {"211100", 6.1},
    {"211101", 5.1}, {"211110", 4.8}, {"211111", 1.8}, {"211120", 2},   {"211121", 0.9},
    {"211200", 4.6}, {"211201", 1.8}, {"211210", 1.7}, {"211211", 0.7}, {"211220", 0.8},
    {"211221", 0.2}, {"212001", 5.3}, {"212011", 2.4}, {"212021", 1.4}, {"212101", 2.4},
    {"212111", 1.2}, {"212121", 0.5}, {"212201", 1},   {"212211", 0.3}, {"212221", 0.1},
};
static_assert(std::size(kMacroScores) == 270);
static_assert(std::is_sorted(std::begin(kMacroScores), std::end(kMacroScores),
                             [](const MacroScore& a, const MacroScore& b) {
                               return a.eqs < b.eqs;
                             }));

// nullopt where the macrovector does not exist (an EQ level past the last one, or EQ3=2
// with EQ6=0): the reference's NaN, which drops that EQ from the mean.
std::optional<double> MacroScoreOf(const std::array<int, 6>& eq) {
  char key[6];
  for (size_t i = 0; i < 6; ++i) key[i] = static_cast<char>('0' + eq[i]);
  const std::string_view k(key, 6);
  auto it = std::lower_bound(std::begin(kMacroScores), std::end(kMacroScores), k,
                             [](const MacroScore& m, std::string_view x) { return m.eqs < x; });
  if (it == std::end(kMacroScores) || it->eqs != k) return std::nullopt;
  return it->score;
}

// The highest-severity vectors of each EQ level (max_composed.js), one letter per metric;
// a list ends at its first empty entry.
//   EQ1: AV PR UI.  EQ2: AC AT.  EQ3 with EQ6 [eq3][eq6]: VC VI VA CR IR AR.  EQ4: SC SI SA.
// EQ5 (E) has one highest vector per level whose distance is always 0, so it is left out.
constexpr std::string_view kEq1Max[3][3] = {{"NNN"}, {"ANN", "NLN", "NNP"}, {"PNN", "ALP"}};
constexpr std::string_view kEq2Max[2][2] = {{"LN"}, {"HN", "LP"}};
constexpr std::string_view kEq3Eq6Max[3][2][5] = {
    {{"HHHHHH"}, {"HHLMMH", "HHHMMM"}},
    {{"LHHHHH", "HLHHHH"}, {"LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM"}},
    {{}, {"LLLHHH"}},
};
constexpr std::string_view kEq4Max[3][1] = {{"HSS"}, {"HHH"}, {"LLL"}};

// Depth of each macrovector in severity steps, plus one (max_severity.js).
constexpr int kEq1Depth[3] = {1, 4, 5};
constexpr int kEq2Depth[2] = {1, 2};
constexpr int kEq3Eq6Depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
constexpr int kEq4Depth[3] = {6, 5, 4};

// A metric value's severity level as the reference writes it (0.0, 0.1, 0.2, 0.3; lower is
// more severe). `order` lists the values from level 0.0 up.
double Level(std::string_view order, char value) {
  constexpr double kTenths[] = {0.0, 0.1, 0.2, 0.3};
  const size_t i = order.find(value);
  return i < std::size(kTenths) ? kTenths[i] : 0.0;
}
constexpr std::string_view kAvOrder = "NALP", kPrOrder = "NLH", kUiOrder = "NPA";
constexpr std::string_view kAcOrder = "LH", kAtOrder = "NP", kImpactOrder = "HLN";
constexpr std::string_view kSubsequentOrder = "SHLN", kRequirementOrder = "HML";

// The values the score uses: a modified metric (other than X) replaces its base metric;
// absent or X threat and requirement metrics mean the worst case (E:A, CR/IR/AR:H).
struct Effective {
  char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
  bool msi_safety, msa_safety;
};

char Pick(const Values& v, Metric base, Metric modified) {
  const std::string_view m = v[modified];
  return !m.empty() && m != "X" ? m[0] : v[base][0];
}

char OrDefault(std::string_view value, char fallback) {
  return value.empty() || value == "X" ? fallback : value[0];
}

Effective EffectiveValues(const Values& v) {
  Effective f{};
  f.av = Pick(v, kAV, kMAV);
  f.ac = Pick(v, kAC, kMAC);
  f.at = Pick(v, kAT, kMAT);
  f.pr = Pick(v, kPR, kMPR);
  f.ui = Pick(v, kUI, kMUI);
  f.vc = Pick(v, kVC, kMVC);
  f.vi = Pick(v, kVI, kMVI);
  f.va = Pick(v, kVA, kMVA);
  f.sc = Pick(v, kSC, kMSC);
  f.si = Pick(v, kSI, kMSI);
  f.sa = Pick(v, kSA, kMSA);
  f.e = OrDefault(v[kE], 'A');
  f.cr = OrDefault(v[kCR], 'H');
  f.ir = OrDefault(v[kIR], 'H');
  f.ar = OrDefault(v[kAR], 'H');
  f.msi_safety = v[kMSI] == "S";
  f.msa_safety = v[kMSA] == "S";
  return f;
}

std::array<int, 6> MacroVector(const Effective& f) {
  std::array<int, 6> eq{};
  if (f.av == 'N' && f.pr == 'N' && f.ui == 'N') {
    eq[0] = 0;
  } else if ((f.av == 'N' || f.pr == 'N' || f.ui == 'N') && f.av != 'P') {
    eq[0] = 1;
  } else {
    eq[0] = 2;
  }
  eq[1] = f.ac == 'L' && f.at == 'N' ? 0 : 1;
  if (f.vc == 'H' && f.vi == 'H') {
    eq[2] = 0;
  } else if (f.vc == 'H' || f.vi == 'H' || f.va == 'H') {
    eq[2] = 1;
  } else {
    eq[2] = 2;
  }
  if (f.msi_safety || f.msa_safety) {
    eq[3] = 0;
  } else if (f.sc == 'H' || f.si == 'H' || f.sa == 'H') {
    eq[3] = 1;
  } else {
    eq[3] = 2;
  }
  eq[4] = f.e == 'A' ? 0 : f.e == 'P' ? 1 : 2;
  eq[5] =
      (f.cr == 'H' && f.vc == 'H') || (f.ir == 'H' && f.vi == 'H') || (f.ar == 'H' && f.va == 'H')
          ? 0
          : 1;
  return eq;
}

// Severity distances of the vector from one highest vector, summed per EQ.
struct Distances {
  double eq1, eq2, eq3eq6, eq4;
  bool all_non_negative;
};

Distances DistancesFrom(const Effective& f, std::string_view m1, std::string_view m2,
                        std::string_view m36, std::string_view m4) {
  const double d[] = {
      Level(kAvOrder, f.av) - Level(kAvOrder, m1[0]),
      Level(kPrOrder, f.pr) - Level(kPrOrder, m1[1]),
      Level(kUiOrder, f.ui) - Level(kUiOrder, m1[2]),
      Level(kAcOrder, f.ac) - Level(kAcOrder, m2[0]),
      Level(kAtOrder, f.at) - Level(kAtOrder, m2[1]),
      Level(kImpactOrder, f.vc) - Level(kImpactOrder, m36[0]),
      Level(kImpactOrder, f.vi) - Level(kImpactOrder, m36[1]),
      Level(kImpactOrder, f.va) - Level(kImpactOrder, m36[2]),
      Level(kRequirementOrder, f.cr) - Level(kRequirementOrder, m36[3]),
      Level(kRequirementOrder, f.ir) - Level(kRequirementOrder, m36[4]),
      Level(kRequirementOrder, f.ar) - Level(kRequirementOrder, m36[5]),
      Level(kSubsequentOrder, f.sc) - Level(kSubsequentOrder, m4[0]),
      Level(kSubsequentOrder, f.si) - Level(kSubsequentOrder, m4[1]),
      Level(kSubsequentOrder, f.sa) - Level(kSubsequentOrder, m4[2]),
  };
  Distances out{};
  out.eq1 = d[0] + d[1] + d[2];
  out.eq2 = d[3] + d[4];
  out.eq3eq6 = d[5] + d[6] + d[7] + d[8] + d[9] + d[10];
  out.eq4 = d[11] + d[12] + d[13];
  out.all_non_negative = std::all_of(std::begin(d), std::end(d), [](double x) { return x >= 0; });
  return out;
}

// The first highest vector (in the reference's nesting order) that the vector does not
// exceed in any metric; the reference keeps the last one tried when none qualifies.
Distances SeverityDistances(const Effective& f, const std::array<int, 6>& eq) {
  Distances d{};
  for (std::string_view m1 : kEq1Max[eq[0]]) {
    if (m1.empty()) break;
    for (std::string_view m2 : kEq2Max[eq[1]]) {
      if (m2.empty()) break;
      for (std::string_view m36 : kEq3Eq6Max[eq[2]][eq[5]]) {
        if (m36.empty()) break;
        for (std::string_view m4 : kEq4Max[eq[3]]) {
          d = DistancesFrom(f, m1, m2, m36, m4);
          if (d.all_non_negative) return d;
        }
      }
    }
  }
  return d;
}

double Score(const Values& v) {
  const Effective f = EffectiveValues(v);
  if (f.vc == 'N' && f.vi == 'N' && f.va == 'N' && f.sc == 'N' && f.si == 'N' && f.sa == 'N') {
    return 0.0;  // no impact on any system
  }
  const std::array<int, 6> eq = MacroVector(f);
  const double value = MacroScoreOf(eq).value_or(0.0);  // every reachable macrovector exists

  // The next lower macrovector of each EQ; EQ3 and EQ6 move together, and from 00 both 01
  // and 10 are one step down, the higher scoring one counts.
  auto lower = [&eq](size_t i, int step_i, size_t j = 0, int step_j = 0) {
    std::array<int, 6> next = eq;
    next[i] += step_i;
    next[j] += step_j;
    return MacroScoreOf(next);
  };
  const std::optional<double> lower1 = lower(0, 1);
  const std::optional<double> lower2 = lower(1, 1);
  std::optional<double> lower36;
  if (eq[2] == 0 && eq[5] == 0) {
    lower36 = std::max(lower(5, 1).value_or(0.0), lower(2, 1).value_or(0.0));
  } else if (eq[2] == 1 && eq[5] == 0) {
    lower36 = lower(5, 1);
  } else if (eq[2] == 2) {
    lower36 = lower(2, 1, 5, 1);  // does not exist
  } else {
    lower36 = lower(2, 1);
  }
  const std::optional<double> lower4 = lower(3, 1);
  const std::optional<double> lower5 = lower(4, 1);

  const Distances d = SeverityDistances(f, eq);
  constexpr double kStep = 0.1;
  int existing = 0;
  double n1 = 0, n2 = 0, n36 = 0, n4 = 0, n5 = 0;
  if (lower1) {
    ++existing;
    n1 = (value - *lower1) * (d.eq1 / (kEq1Depth[eq[0]] * kStep));
  }
  if (lower2) {
    ++existing;
    n2 = (value - *lower2) * (d.eq2 / (kEq2Depth[eq[1]] * kStep));
  }
  if (lower36) {
    ++existing;
    n36 = (value - *lower36) * (d.eq3eq6 / (kEq3Eq6Depth[eq[2]][eq[5]] * kStep));
  }
  if (lower4) {
    ++existing;
    n4 = (value - *lower4) * (d.eq4 / (kEq4Depth[eq[3]] * kStep));
  }
  if (lower5) {
    ++existing;  // EQ5's proportion is always 0
    n5 = 0;
  }
  const double mean = existing == 0 ? 0 : (n1 + n2 + n36 + n4 + n5) / existing;
  const double score = std::clamp(value - mean, 0.0, 10.0);
  // Round half up to one decimal, lifted by 1e-6 first as the reference does: the
  // interpolation can land one ULP below a tie (5.6499999999999995 for 5.65).
  return std::round((score + 1e-6) * 10) / 10;
}

}  // namespace v4

}  // namespace

Result<CvssScore> ScoreCvss(std::string_view vector) {
  if (vector.size() > kMaxCvssVectorBytes) {
    return Invalid(vector, "longer than " + std::to_string(kMaxCvssVectorBytes) + " bytes");
  }
  constexpr std::string_view kPrefix = "CVSS:";
  if (vector.substr(0, kPrefix.size()) != kPrefix) {
    return Invalid(vector, "does not start with \"CVSS:<version>/\"");
  }
  const size_t slash = vector.find('/');
  const std::string_view version = vector.substr(
      kPrefix.size(), slash == std::string_view::npos ? vector.npos : slash - kPrefix.size());
  if (version != "3.0" && version != "3.1" && version != "4.0") {
    return Invalid(vector, "unsupported CVSS version \"" + Printable(version) + "\"");
  }
  if (slash == std::string_view::npos || slash + 1 == vector.size()) {
    return Invalid(vector, "no metrics");
  }
  const std::string_view body = vector.substr(slash + 1);
  Values values;
  double score = 0;
  if (version == "4.0") {
    BULKHEAD_RETURN_IF_ERROR(ParseMetrics(vector, body, v4::kMetrics, &values));
    score = v4::Score(values);
  } else {
    BULKHEAD_RETURN_IF_ERROR(ParseMetrics(vector, body, v3::kMetrics, &values));
    score = v3::BaseScore(values, version == "3.1");
  }
  return CvssScore{std::string(version), std::string(vector), score};
}

Severity CvssSeverity(double score) {
  if (!(score > 0)) return Severity::kUnknown;  // 0.0 (None), negative, NaN
  if (score < 4.0) return Severity::kLow;
  if (score < 7.0) return Severity::kMedium;
  if (score < 9.0) return Severity::kHigh;
  return Severity::kCritical;
}

}  // namespace bulkhead::vulndb
