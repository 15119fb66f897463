#include "crossmt/bleu.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "crossmt/error.h"

namespace crossmt {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// sacreBLEU's first 13a rule: ASCII symbols [{-~ [-` space-& (-+ :-@ /] get spaces around them.
bool is_split_symbol(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (u >= 0x7B && u <= 0x7E) || (u >= 0x5B && u <= 0x60) || (u >= 0x20 && u <= 0x26) ||
         (u >= 0x28 && u <= 0x2B) || (u >= 0x3A && u <= 0x40) || u == 0x2F;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Python's str.split() then ' '.join: ASCII whitespace and no-break spaces separate words.
std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool nbsp = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || nbsp) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
      if (nbsp) ++i;
    } else {
      current += text[i];
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// Byte-level versions of the three remaining 13a regexes, scanning left to right without overlap
// as Python's re.sub does. Multi-byte characters never match [.,0-9-], so bytes suffice.
std::string split_period_comma_after_non_digit(const std::string& s) {  // ([^0-9])([\.,]) -> \1 \2
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && !is_digit(s[i]) && (s[i + 1] == '.' || s[i + 1] == ',')) {
      out += s[i];
      out += ' ';
      out += s[i + 1];
      out += ' ';
      i += 2;
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::string split_period_comma_before_non_digit(const std::string& s) {  // ([\.,])([^0-9]) -> ' \1 \2'
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && !is_digit(s[i + 1])) {
      out += ' ';
      out += s[i];
      out += ' ';
      out += s[i + 1];
      i += 2;
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::string split_dash_after_digit(const std::string& s) {  // ([0-9])(-) -> '\1 \2 '
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && is_digit(s[i]) && s[i + 1] == '-') {
      out += s[i];
      out += " - ";
      i += 2;
    } else {
      out += s[i++];
    }
  }
  return out;
}

using NgramCounts = std::map<std::string, int>;

NgramCounts count_ngrams(const std::vector<std::string>& words, int n) {
  NgramCounts counts;
  for (size_t i = 0; i + n <= words.size(); ++i) {
    std::string key = words[i];
    for (int k = 1; k < n; ++k) key += ' ' + words[i + k];
    ++counts[key];
  }
  return counts;
}

}  // namespace

std::string tokenize_13a(const std::string& input) {
  std::string line = input;
  replace_all(line, "<skipped>", "");
  replace_all(line, "-\n", "");
  std::replace(line.begin(), line.end(), '\n', ' ');
  if (line.find('&') != std::string::npos) {
    replace_all(line, "&quot;", "\"");
    replace_all(line, "&amp;", "&");
    replace_all(line, "&lt;", "<");
    replace_all(line, "&gt;", ">");
  }
  line = " " + line + " ";
  std::string spaced;
  for (char c : line) {
    if (is_split_symbol(c)) {
      spaced += ' ';
      spaced += c;
      spaced += ' ';
    } else {
      spaced += c;
    }
  }
  spaced = split_dash_after_digit(split_period_comma_before_non_digit(split_period_comma_after_non_digit(spaced)));
  std::string joined;
  for (const auto& word : split_words(spaced)) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references) {
  if (hypotheses.size() != references.size())
    throw Error("BLEU needs one reference per hypothesis (" + std::to_string(hypotheses.size()) + " vs " +
                std::to_string(references.size()) + ")");
  long correct[4] = {0, 0, 0, 0}, total[4] = {0, 0, 0, 0};
  BleuScore result;
  for (size_t i = 0; i < hypotheses.size(); ++i) {
    std::string hypothesis = hypotheses[i], reference = references[i];
    while (!hypothesis.empty() && std::isspace(static_cast<unsigned char>(hypothesis.back()))) hypothesis.pop_back();
    const auto hypothesis_words = split_words(tokenize_13a(hypothesis));
    const auto reference_words = split_words(tokenize_13a(reference));
    result.hypothesis_length += static_cast<long>(hypothesis_words.size());
    result.reference_length += static_cast<long>(reference_words.size());
    for (int n = 1; n <= 4; ++n) {
      const NgramCounts hypothesis_counts = count_ngrams(hypothesis_words, n);
      const NgramCounts reference_counts = count_ngrams(reference_words, n);
      for (const auto& [ngram, count] : hypothesis_counts) {
        const auto found = reference_counts.find(ngram);
        if (found != reference_counts.end()) correct[n - 1] += std::min(count, found->second);
      }
      total[n - 1] += std::max<long>(0, static_cast<long>(hypothesis_words.size()) - n + 1);
    }
  }
  double smooth = 1.0, log_sum = 0.0;
  for (int n = 0; n < 4; ++n) {
    if (total[n] == 0) return result;  // no n-grams of this order at all: BLEU 0
    if (correct[n] == 0) {
      smooth *= 2;
      result.precisions[n] = 100.0 / (smooth * total[n]);
    } else {
      result.precisions[n] = 100.0 * correct[n] / total[n];
    }
    log_sum += std::log(result.precisions[n]);
  }
  result.brevity_penalty = result.hypothesis_length < result.reference_length
                               ? std::exp(1.0 - static_cast<double>(result.reference_length) / result.hypothesis_length)
                               : 1.0;
  result.score = result.brevity_penalty * std::exp(log_sum / 4 - std::log(100.0)) * 100.0;
  return result;
}

}  // namespace crossmt
