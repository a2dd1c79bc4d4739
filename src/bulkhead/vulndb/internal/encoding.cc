#include "bulkhead/vulndb/internal/encoding.h"

namespace bulkhead::vulndb::internal {
namespace {

constexpr char kRangeSep = '\x1e';
constexpr char kItemSep = '\x1f';

char KindChar(Event::Kind k) {
  switch (k) {
    case Event::Kind::kIntroduced:
      return 'i';
    case Event::Kind::kFixed:
      return 'f';
    case Event::Kind::kLastAffected:
      return 'l';
    case Event::Kind::kLimit:
      return 'm';
  }
  return 'i';
}

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(0x80 | (v & 0x7f)));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool ReadVarint(std::string_view* data, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !data->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(data->front());
    data->remove_prefix(1);
    *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return true;
  }
  return false;
}

void AppendBytes(std::string_view s, std::string* out) {
  AppendVarint(s.size(), out);
  out->append(s);
}

bool ReadBytes(std::string_view* data, std::string_view* s) {
  uint64_t n;
  if (!ReadVarint(data, &n) || n > data->size()) return false;
  *s = data->substr(0, n);
  data->remove_prefix(n);
  return true;
}

bool ReadByte(std::string_view* data, uint8_t* b) {
  if (data->empty()) return false;
  *b = static_cast<uint8_t>(data->front());
  data->remove_prefix(1);
  return true;
}

}  // namespace

void AppendEntry(const EntryView& e, std::string* out) {
  AppendBytes(e.id, out);
  AppendVarint(e.vid, out);
  AppendVarint(e.seq, out);
  out->push_back(static_cast<char>(e.status));
  out->push_back(static_cast<char>(e.severity));
  AppendBytes(e.status_note, out);
  AppendBytes(e.ranges, out);
  AppendBytes(e.versions, out);
  AppendBytes(e.severity_source, out);
}

bool NextEntry(std::string_view* data, EntryView* out) {
  std::string_view rest = *data;
  if (rest.empty() || !ReadBytes(&rest, &out->id) || !ReadVarint(&rest, &out->vid) ||
      !ReadVarint(&rest, &out->seq) || !ReadByte(&rest, &out->status) ||
      !ReadByte(&rest, &out->severity) || !ReadBytes(&rest, &out->status_note) ||
      !ReadBytes(&rest, &out->ranges) || !ReadBytes(&rest, &out->versions) ||
      !ReadBytes(&rest, &out->severity_source)) {
    return false;
  }
  *data = rest;
  return true;
}

void AppendRow(std::string_view key, std::string_view entry, std::string* rows) {
  AppendBytes(key, rows);
  AppendBytes(entry, rows);
}

bool NextRow(std::string_view* rows, std::string_view* key, std::string_view* entry) {
  std::string_view rest = *rows;
  if (rest.empty() || !ReadBytes(&rest, key) || !ReadBytes(&rest, entry)) return false;
  *rows = rest;
  return true;
}

void AppendRangeStart(Range::Type type, std::string* ranges) {
  if (!ranges->empty()) ranges->push_back(kRangeSep);
  ranges->push_back(type == Range::Type::kSemver ? 'S' : 'E');
}

void AppendEvent(Event::Kind kind, std::string_view version, std::string* ranges) {
  ranges->push_back(KindChar(kind));
  ranges->append(version);
  ranges->push_back(kItemSep);
}

void AppendListItem(std::string_view item, std::string* list) {
  list->append(item);
  list->push_back(kItemSep);
}

std::string EncodeRanges(const std::vector<Range>& ranges) {
  std::string out;
  for (const Range& r : ranges) {
    AppendRangeStart(r.type, &out);
    for (const Event& e : r.events) AppendEvent(e.kind, e.version, &out);
  }
  return out;
}

Result<std::vector<Range>> DecodeRanges(std::string_view data) {
  std::vector<Range> out;
  while (!data.empty()) {
    size_t end = data.find(kRangeSep);
    std::string_view r = data.substr(0, end);
    data = end == std::string_view::npos ? std::string_view() : data.substr(end + 1);
    if (r.empty() || (r[0] != 'E' && r[0] != 'S')) return Status::Corruption("bad stored range");
    Range range;
    range.type = r[0] == 'S' ? Range::Type::kSemver : Range::Type::kEcosystem;
    r.remove_prefix(1);
    while (!r.empty()) {
      size_t sep = r.find(kItemSep);
      if (sep == std::string_view::npos || sep < 1) return Status::Corruption("bad stored event");
      Event e;
      switch (r[0]) {
        case 'i':
          e.kind = Event::Kind::kIntroduced;
          break;
        case 'f':
          e.kind = Event::Kind::kFixed;
          break;
        case 'l':
          e.kind = Event::Kind::kLastAffected;
          break;
        case 'm':
          e.kind = Event::Kind::kLimit;
          break;
        default:
          return Status::Corruption("bad stored event kind");
      }
      e.version = std::string(r.substr(1, sep - 1));
      range.events.push_back(std::move(e));
      r.remove_prefix(sep + 1);
    }
    out.push_back(std::move(range));
  }
  return out;
}

std::string EncodeList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) AppendListItem(s, &out);
  return out;
}

std::vector<std::string> DecodeList(std::string_view data) {
  std::vector<std::string> out;
  while (!data.empty()) {
    size_t sep = data.find(kItemSep);
    out.emplace_back(data.substr(0, sep));
    if (sep == std::string_view::npos) break;
    data.remove_prefix(sep + 1);
  }
  return out;
}

}  // namespace bulkhead::vulndb::internal
