// .npy header parsing: the magic, the version, the header length and the Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } are all checked against the bytes.
#include "npy.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>

#include "crossmt/error.h"

namespace crossmt {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kMaxHeaderBytes = 1 << 20;  // numpy itself refuses headers over 10 KB by default
constexpr size_t kMaxDimensions = 32;

// Item size of an accepted type string, or 0.
size_t item_size_of(const std::string& descr) {
  if (descr.size() != 3) return 0;
  const char order = descr[0];
  const std::string kind = descr.substr(1);
  if (kind == "i1" || kind == "u1") return order == '|' || order == '<' || order == '=' ? 1 : 0;
  if (order != '<' && order != '=') return 0;  // big-endian data would need swapping: refused
  if (kind == "f2") return 2;
  if (kind == "f4" || kind == "i4") return 4;
  if (kind == "f8" || kind == "i8") return 8;
  return 0;
}

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& origin) : text_(text), origin_(origin) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(origin_ + ": malformed .npy header (" + what + ")");
  }

  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\t' ||
                                        text_[position_] == '\n' || text_[position_] == '\r'))
      ++position_;
  }
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[position_]; }
  void expect(char c) {
    skip_space();
    if (peek() != c) fail(std::string("expected '") + c + "' at byte " + std::to_string(position_));
    ++position_;
  }
  bool accept(char c) {
    skip_space();
    if (peek() != c) return false;
    ++position_;
    return true;
  }

  std::string string_literal() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string at byte " + std::to_string(position_));
    ++position_;
    std::string value;
    while (!at_end() && peek() != quote) {
      if (peek() == '\\') fail("escapes in strings are not supported");
      value += text_[position_++];
      if (value.size() > 256) fail("string too long");
    }
    if (at_end()) fail("unterminated string");
    ++position_;
    return value;
  }

  bool boolean() {
    skip_space();
    for (const auto& [word, value] : {std::pair{"True", true}, std::pair{"False", false}})
      if (text_.substr(position_).starts_with(word)) {
        position_ += std::strlen(word);
        return value;
      }
    fail("expected True or False at byte " + std::to_string(position_));
  }

  Shape tuple() {
    expect('(');
    Shape shape;
    while (true) {
      skip_space();
      if (accept(')')) break;
      if (peek() < '0' || peek() > '9') fail("expected a dimension at byte " + std::to_string(position_));
      int64_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        if (value > (std::numeric_limits<int64_t>::max() - 9) / 10) fail("dimension too large");
        value = value * 10 + (text_[position_++] - '0');
      }
      if (peek() == 'L') ++position_;  // Python 2's long suffix
      shape.push_back(value);
      if (shape.size() > kMaxDimensions) fail("more than " + std::to_string(kMaxDimensions) + " dimensions");
      if (accept(')')) break;
      expect(',');
    }
    return shape;
  }

  size_t position() const { return position_; }

 private:
  std::string_view text_;
  const std::string& origin_;
  size_t position_ = 0;
};

}  // namespace

NpyArray parse_npy(std::span<const std::byte> bytes, const std::string& origin) {
  const auto fail = [&](const std::string& what) -> void { throw Error(origin + ": " + what); };
  if (bytes.size() < kMagicSize + 4 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    fail("not a .npy array (no \\x93NUMPY magic)");
  const auto major = static_cast<unsigned>(bytes[6]);
  size_t header_length = 0, prefix = 0;
  const auto byte_at = [&](size_t i) { return static_cast<size_t>(static_cast<unsigned char>(bytes[i])); };
  if (major == 1) {
    header_length = byte_at(8) | byte_at(9) << 8;
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail("truncated .npy header");
    header_length = byte_at(8) | byte_at(9) << 8 | byte_at(10) << 16 | byte_at(11) << 24;
    prefix = 12;
  } else {
    fail(".npy format version " + std::to_string(major) + " is not supported (1, 2 or 3)");
  }
  if (header_length > kMaxHeaderBytes) fail("malformed .npy header (length " + std::to_string(header_length) + ")");
  if (header_length > bytes.size() - prefix)
    fail("malformed .npy header (declares " + std::to_string(header_length) + " bytes, the file has " +
         std::to_string(bytes.size() - prefix) + " after the prefix)");
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + prefix, header_length);

  HeaderParser parser(text, origin);
  std::optional<std::string> descr;
  std::optional<bool> fortran_order;
  std::optional<Shape> shape;
  parser.expect('{');
  while (!parser.accept('}')) {
    const std::string key = parser.string_literal();
    parser.expect(':');
    if (key == "descr") {
      parser.skip_space();
      if (parser.peek() == '[') fail("structured .npy arrays are not supported");
      descr = parser.string_literal();
    } else if (key == "fortran_order") {
      fortran_order = parser.boolean();
    } else if (key == "shape") {
      shape = parser.tuple();
    } else {
      parser.fail("unknown key '" + key + "'");
    }
    if (parser.accept('}')) break;
    parser.expect(',');
  }
  parser.skip_space();
  if (!parser.at_end()) parser.fail("bytes after the dict");
  if (!descr || !fortran_order || !shape) parser.fail("needs 'descr', 'fortran_order' and 'shape'");
  if (*fortran_order) fail("Fortran-ordered .npy arrays are not supported");

  NpyArray array;
  array.descr = *descr;
  array.shape = *shape;
  array.item_size = item_size_of(array.descr);
  if (array.item_size == 0) fail("unsupported .npy dtype '" + array.descr + "'");
  const size_t available = bytes.size() - prefix - header_length;
  uint64_t elements = 1;
  const bool empty = std::find(array.shape.begin(), array.shape.end(), int64_t{0}) != array.shape.end();
  if (empty) elements = 0;
  for (const int64_t dimension : empty ? Shape{} : array.shape) {
    if (dimension != 0 && elements > available / static_cast<uint64_t>(dimension)) {
      elements = std::numeric_limits<uint64_t>::max();
      break;
    }
    elements *= static_cast<uint64_t>(dimension);
  }
  const auto shape_text = [&] {
    std::string text = "(";
    for (size_t i = 0; i < array.shape.size(); ++i) text += (i ? ", " : "") + std::to_string(array.shape[i]);
    return text + ")";
  };
  if (elements > available / array.item_size || elements * array.item_size != available)
    fail("shape " + shape_text() + " of '" + array.descr + "' does not match the " + std::to_string(available) +
         " data bytes");
  array.data = bytes.subspan(prefix + header_length, available);
  return array;
}

std::string npy_header(const std::string& descr, const Shape& shape) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i) dict += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dict += ",";
  dict += "), }";
  // magic (6) + version (2) + length (2) + dict + padding + '\n', a multiple of 64 bytes.
  const size_t unpadded = 10 + dict.size() + 1;
  dict += std::string((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string header(kMagic, kMagicSize);
  header += '\x01';
  header += '\x00';
  header += static_cast<char>(dict.size() & 0xff);
  header += static_cast<char>(dict.size() >> 8);
  return header + dict;
}

}  // namespace crossmt
