// The compact encoding of ranges and version lists in the database's BLOB columns.
// Control characters never occur in stored versions (the parsers refuse them), so the
// separators below cannot collide with data.
//
//   ranges   := range ( RS range )*        RS = 0x1e
//   range    := type ( event )*            type = 'E' (ECOSYSTEM) | 'S' (SEMVER)
//   event    := kind version US            kind = 'i' | 'f' | 'l' | 'm'; US = 0x1f
//   versions := ( version US )*
//
// A package's affected entries from one source share one row (entries BLOB):
//   entries  := entry*
//   entry    := str(id) varint(vid) varint(seq) u8(status) u8(severity) str(status_note)
//               str(ranges) str(versions) str(severity_source)
//   str      := varint(length) bytes           (varints: unsigned LEB128)
// Concatenating two entry lists gives a valid list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/record.h"

namespace bulkhead::vulndb::internal {

/// An event as a parser reads it, before it is stored: a view into the feed's text.
struct EventView {
  Event::Kind kind = Event::Kind::kIntroduced;
  std::string_view version;
};

std::string EncodeRanges(const std::vector<Range>& ranges);
/// The pieces EncodeRanges and EncodeList are made of, for parsers that encode straight
/// from a feed's text: a range is AppendRangeStart then its events.
void AppendRangeStart(Range::Type type, std::string* ranges);
void AppendEvent(Event::Kind kind, std::string_view version, std::string* ranges);
void AppendListItem(std::string_view item, std::string* list);
Result<std::vector<Range>> DecodeRanges(std::string_view data);
std::string EncodeList(const std::vector<std::string>& items);
std::vector<std::string> DecodeList(std::string_view data);

struct EntryView {
  std::string_view id;
  uint64_t vid = 0;
  uint64_t seq = 0;
  uint8_t status = 0;
  uint8_t severity = 0;
  std::string_view status_note;
  std::string_view ranges;
  std::string_view versions;
  std::string_view severity_source;
};
void AppendEntry(const EntryView& e, std::string* out);
/// Takes the first entry off `data`; false when `data` is empty or malformed (then
/// `data` is left non-empty).
bool NextEntry(std::string_view* data, EntryView* out);

/// (key, entry) pairs in one buffer, as a prepared record carries its rows:
///   rows := ( str(key) str(entry) )*
void AppendRow(std::string_view key, std::string_view entry, std::string* rows);
bool NextRow(std::string_view* rows, std::string_view* key, std::string_view* entry);

}  // namespace bulkhead::vulndb::internal
