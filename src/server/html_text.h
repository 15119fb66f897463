#pragma once
// `format=html`: the text nodes of an HTML fragment are translated, the markup is kept as it is.
#include <string>
#include <string_view>
#include <vector>

namespace crossmt::server {

// An HTML fragment cut into markup (tags, comments, the contents of <script> and <style>, the
// whitespace around text) and text nodes, entities decoded, ready to be put back together.
struct HtmlSegments {
  std::vector<std::string> parts;       // concatenated = the input, with text nodes as they were
  std::vector<size_t> text_parts;       // indices of the text nodes in `parts`
  std::vector<std::string> texts;       // each text node, trimmed, entities decoded
};

HtmlSegments split_html(std::string_view html);

// The fragment with text node i replaced by translations[i] (escaped for HTML).
std::string join_html(HtmlSegments segments, const std::vector<std::string>& translations);

}  // namespace crossmt::server
