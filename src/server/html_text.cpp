#include "html_text.h"

#include "utf8.h"

#include <cctype>
#include <cstdlib>

namespace crossmt::server {
namespace {


// The named entities text commonly holds, and every numeric one; others stay as written.
std::string decode_entities(std::string_view text) {
  static const std::pair<std::string_view, std::string_view> named[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\u00A0"}};
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t semicolon = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += text[i];
      continue;
    }
    const std::string_view name = text.substr(i + 1, semicolon - i - 1);
    bool decoded = false;
    if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      const unsigned long value = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (!digits.empty() && end && *end == '\0') {
        // HTML reads &#0; and values past Unicode as U+FFFD.
        append_utf8(out, value == 0 || value > 0x10FFFF ? U'\uFFFD' : static_cast<char32_t>(value));
        decoded = true;
      }
    } else {
      for (const auto& [entity, replacement] : named)
        if (name == entity) {
          out += replacement;
          decoded = true;
        }
    }
    if (decoded) i = semicolon;
    else out += text[i];
  }
  return out;
}

std::string escape_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

bool starts_with_tag(std::string_view html, size_t at, std::string_view name) {
  if (at + 1 + name.size() > html.size() || html[at] != '<') return false;
  for (size_t k = 0; k < name.size(); ++k)
    if (std::tolower(static_cast<unsigned char>(html[at + 1 + k])) != name[k]) return false;
  const size_t after = at + 1 + name.size();
  return after == html.size() || !std::isalnum(static_cast<unsigned char>(html[after]));
}

size_t find_case_insensitive(std::string_view haystack, std::string_view needle, size_t from) {
  for (size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && std::tolower(static_cast<unsigned char>(haystack[i + k])) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

}  // namespace

HtmlSegments split_html(std::string_view html) {
  HtmlSegments segments;
  std::string markup;
  const auto add_text = [&](std::string_view text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
      markup += text;
      return;
    }
    const size_t last = text.find_last_not_of(" \t\r\n");
    markup += text.substr(0, first);
    segments.parts.push_back(std::move(markup));
    markup.clear();
    segments.text_parts.push_back(segments.parts.size());
    segments.parts.emplace_back(text.substr(first, last + 1 - first));
    segments.texts.push_back(decode_entities(segments.parts.back()));
    markup += text.substr(last + 1);
  };
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      const size_t next = html.find('<', i);
      add_text(html.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i));
      i = next == std::string_view::npos ? html.size() : next;
      continue;
    }
    size_t end;
    if (html.substr(i, 4) == "<!--") {
      end = html.find("-->", i + 4);
      end = end == std::string_view::npos ? html.size() : end + 3;
    } else {
      end = html.find('>', i);
      end = end == std::string_view::npos ? html.size() : end + 1;
      // Script and style bodies are code, not text: kept up to their closing tag.
      for (std::string_view raw : {"script", "style"})
        if (starts_with_tag(html, i, raw)) {
          const size_t close = find_case_insensitive(html, std::string("</") + std::string(raw), end);
          if (close == std::string_view::npos) end = html.size();
          else {
            const size_t close_end = html.find('>', close);
            end = close_end == std::string_view::npos ? html.size() : close_end + 1;
          }
        }
    }
    markup += html.substr(i, end - i);
    i = end;
  }
  segments.parts.push_back(std::move(markup));
  return segments;
}

std::string join_html(HtmlSegments segments, const std::vector<std::string>& translations) {
  for (size_t k = 0; k < segments.text_parts.size() && k < translations.size(); ++k)
    segments.parts[segments.text_parts[k]] = escape_text(translations[k]);
  std::string html;
  for (const auto& part : segments.parts) html += part;
  return html;
}

}  // namespace crossmt::server
