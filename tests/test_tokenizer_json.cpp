// Hugging Face tokenizer.json (TokenizerJson) and the slow GPT-2/BART tokenizer (ByteLevelBpe).
// Cases marked "tokenizers: <file>" are the inline expectations of huggingface/tokenizers' own
// unit tests in that file, ported as data; the others are worked out by hand from its sources.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "../src/tokenizers/byte_level_bpe.h"
#include "../src/tokenizers/components.h"
#include "../src/tokenizers/precompiled_charsmap.h"
#include "../src/tokenizers/tokenizer_json.h"
#include "crossmt/error.h"

namespace {

using crossmt::TokenizerJson;
namespace tj = crossmt::tokenizer_json;
using Strings = std::vector<std::string>;

const std::string kDataDir = std::string(CROSSMT_TEST_DATA_DIR) + "/tokenizer_json/";
const std::string kOrigin = "tokenizer.json";

tj::Field test_field(const std::string& path) { return {&kOrigin, path}; }

Strings pre_tokenize(const std::string& spec, const std::string& text) {
  const auto pre_tokenizer = tj::make_pre_tokenizer(tj::Json::parse(spec), test_field("pre_tokenizer"));
  tj::Pieces pieces{{text, true}};
  pre_tokenizer->pre_tokenize(pieces);
  Strings texts;
  for (const auto& piece : pieces) texts.push_back(piece.text);
  return texts;
}

std::string normalize(const std::string& spec, std::string text) {
  tj::make_normalizer(tj::Json::parse(spec), test_field("normalizer"))->normalize(text);
  return text;
}

Strings decode_chain(const std::string& spec, Strings tokens) {
  tj::make_decoder(tj::Json::parse(spec), test_field("decoder"))->decode(tokens);
  return tokens;
}

struct ModelOutput {
  std::vector<int> ids;
  Strings tokens;
  bool operator==(const ModelOutput& other) const { return ids == other.ids && tokens == other.tokens; }
};
std::ostream& operator<<(std::ostream& out, const ModelOutput& output) {
  for (std::size_t i = 0; i < output.ids.size(); ++i) out << output.ids[i] << ":" << output.tokens[i] << " ";
  return out;
}

ModelOutput model_tokenize(const tj::Model& model, const std::string& text) {
  std::vector<tj::Token> tokens;
  model.tokenize(text, tokens);
  ModelOutput output;
  for (const auto& token : tokens) output.ids.push_back(token.id), output.tokens.push_back(token.text);
  return output;
}

std::unique_ptr<tj::Model> make_model(const std::string& spec) { return tj::make_model(tj::Json::parse(spec), test_field("model")); }

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const crossmt::Error& error) {
    return error.what();
  }
  return "(no error)";
}

// A SentencePiece precompiled_charsmap for `rules` (key -> replacement): a darts-clone double
// array built the simple way (each node's children at the first free base), then the
// NUL-terminated replacements. Our own small builder, enough for tests.
std::string build_charsmap(const std::vector<std::pair<std::string, std::string>>& rules) {
  struct Node {
    std::map<uint8_t, int> children;
    int64_t value = -1;
  };
  std::vector<Node> nodes(1);
  std::string pool;
  for (const auto& [key, replacement] : rules) {
    int node = 0;
    for (const char byte : key) {
      const auto label = static_cast<uint8_t>(byte);
      const auto found = nodes[node].children.find(label);
      if (found != nodes[node].children.end()) {
        node = found->second;
      } else {
        nodes.emplace_back();
        const int child = static_cast<int>(nodes.size() - 1);
        nodes[node].children[label] = child;
        node = child;
      }
    }
    nodes[node].value = static_cast<int64_t>(pool.size());
    pool += replacement;
    pool += '\0';
  }
  std::vector<uint32_t> units(1, 0);
  std::vector<bool> used(1, true);
  std::vector<bool> base_taken;  // two nodes sharing a base would see each other's children
  std::function<void(int, std::size_t)> place = [&](int node, std::size_t position) {
    std::vector<int> labels;
    if (nodes[node].value >= 0) labels.push_back(0);
    for (const auto& child : nodes[node].children) labels.push_back(child.first);
    if (labels.empty()) return;
    std::size_t base = 256;
    for (;; ++base) {
      if (base >= base_taken.size()) base_taken.resize(base + 1, false);
      bool free = !base_taken[base];
      for (const int label : labels) {
        const std::size_t slot = base ^ static_cast<std::size_t>(label);
        if (slot >= units.size()) units.resize(slot + 1, 0), used.resize(slot + 1, false);
        if (used[slot]) free = false;
      }
      if (free) break;
    }
    base_taken[base] = true;
    units[position] |= static_cast<uint32_t>((base ^ position) << 10);
    for (const int label : labels) used[base ^ static_cast<std::size_t>(label)] = true;
    if (nodes[node].value >= 0) units[base] = static_cast<uint32_t>(nodes[node].value) | 0x80000000u;  // leaf
    for (const auto& [label, child] : nodes[node].children) {
      const std::size_t slot = base ^ label;
      units[slot] |= label;
      if (nodes[child].value >= 0) units[slot] |= 1u << 8;
      place(child, slot);
    }
  };
  place(0, 0);
  std::string blob;
  auto put_u32 = [&blob](uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) blob += static_cast<char>((value >> shift) & 0xFF);
  };
  put_u32(static_cast<uint32_t>(units.size() * 4));
  for (const uint32_t unit : units) put_u32(unit);
  return blob + pool;
}

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(n >> shift) & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out += alphabet[(n >> 18) & 63], out += alphabet[(n >> 12) & 63], out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += alphabet[(n >> 18) & 63], out += alphabet[(n >> 12) & 63], out += alphabet[(n >> 6) & 63], out += "=";
  }
  return out;
}

}  // namespace

// ---- Pre-tokenizers ------------------------------------------------------------------------

TEST_CASE("tokenizer.json: ByteLevel pre-tokenizer splits with GPT-2's regex", "[tokenizer_json]") {
  // tokenizers: pre_tokenizers/byte_level.rs (pre_tokenization, add_prefix_space, handling_of_newlines,
  // handling_of_multiple_whitespaces, offsets_when_char_split_up, pre_tokenization_no_regex)
  const std::string no_prefix = R"({"type": "ByteLevel", "add_prefix_space": false})";
  const Strings hello = {"Hello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?"};
  CHECK(pre_tokenize(no_prefix, "Hello my friend, how is your day going?") == hello);
  const Strings prefixed = {"ĠHello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?"};
  for (const std::string text : {" Hello my friend, how is your day going?", "Hello my friend, how is your day going?"})
    CHECK(pre_tokenize(R"({"type": "ByteLevel", "add_prefix_space": true})", text) == prefixed);
  CHECK(pre_tokenize(no_prefix, "Hello there\nHello there") == Strings{"Hello", "Ġthere", "Ċ", "Hello", "Ġthere"});
  CHECK(pre_tokenize(no_prefix, "Hello there       dear") == Strings{"Hello", "Ġthere", "ĠĠĠĠĠĠ", "Ġdear"});
  CHECK(pre_tokenize(no_prefix, "i⭢j") == Strings{"i", "âŃ¢", "j"});
  CHECK(pre_tokenize(R"({"type": "ByteLevel", "use_regex": false})", "Hello my friend, how is your day going?") ==
        Strings{"ĠHelloĠmyĠfriend,ĠhowĠisĠyourĠdayĠgoing?"});
  // Contractions, numbers, punctuation runs, a trailing space run and a tab.
  CHECK(pre_tokenize(no_prefix, "I'm sure you'll see it's 42.5%!! ") ==
        Strings{"I", "'m", "Ġsure", "Ġyou", "'ll", "Ġsee", "Ġit", "'s", "Ġ42", ".", "5", "%!!", "Ġ"});
  CHECK(pre_tokenize(no_prefix, "a\tb  'x") == Strings{"a", "ĉ", "b", "Ġ", "Ġ'", "x"});
}

TEST_CASE("tokenizer.json: Metaspace pre-tokenizer", "[tokenizer_json]") {
  // tokenizers: pre_tokenizers/metaspace.rs (basic, multiple_spaces)
  const std::string always = R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true})";
  CHECK(pre_tokenize(always, "Hey friend!") == Strings{"▁Hey", "▁friend!"});
  CHECK(pre_tokenize(always, "Hey   friend!") == Strings{"▁Hey", "▁", "▁", "▁friend!"});
  CHECK(pre_tokenize(R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never"})", "Hey friend!") ==
        Strings{"Hey", "▁friend!"});
  CHECK(pre_tokenize(R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": false})", "Hey friend!") ==
        Strings{"▁Hey▁friend!"});
  // Legacy files: add_prefix_space instead of prepend_scheme.
  CHECK(pre_tokenize(R"({"type": "Metaspace", "replacement": "_", "add_prefix_space": false})", "a b") == Strings{"a", "_b"});
  // tokenizers: pre_tokenizers/metaspace.rs (non_legacy_meta_space): pieces split at <s> first.
  auto after_s_split = [](const std::string& metaspace) {
    return R"J({"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "(<s>)"}, "behavior": "Isolated"}, )J" +
           metaspace + "]}";
  };
  const std::string first_no_split = R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false})";
  CHECK(pre_tokenize(after_s_split(first_no_split), "Hey my friend <s>how▁are you") == Strings{"▁Hey▁my▁friend▁", "<s>", "how▁are▁you"});
  CHECK(pre_tokenize(after_s_split(first_no_split + R"(, {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true})"),
                     "Hey my friend <s>how▁are you") == Strings{"▁Hey", "▁my", "▁friend", "▁", "▁<s>", "▁how", "▁are", "▁you"});
  CHECK(pre_tokenize(after_s_split(first_no_split), " Hey <s>how") == Strings{"▁Hey▁", "<s>", "how"});
  CHECK(pre_tokenize(after_s_split(first_no_split), " Hey <s>how <s>are <s> you") ==
        Strings{"▁Hey▁", "<s>", "how▁", "<s>", "are▁", "<s>", "▁you"});
  // "first" prepends only to the piece at the start of the text.
  const auto first = tj::make_pre_tokenizer(tj::Json::parse(R"({"type": "Metaspace", "prepend_scheme": "first"})"), test_field("p"));
  tj::Pieces pieces{{"Hey", true}, {"friend", false}};
  first->pre_tokenize(pieces);
  REQUIRE(pieces.size() == 2);
  CHECK(pieces[0].text == "▁Hey");
  CHECK(pieces[1].text == "friend");
}

TEST_CASE("tokenizer.json: Whitespace, WhitespaceSplit, Punctuation, BertPreTokenizer, Digits", "[tokenizer_json]") {
  // tokenizers: pre_tokenizers/whitespace.rs, punctuation.rs, bert.rs, digits.rs
  CHECK(pre_tokenize(R"({"type": "Whitespace"})", "Hey man!") == Strings{"Hey", "man", "!"});
  CHECK(pre_tokenize(R"({"type": "Whitespace"})", "How are you doing?") == Strings{"How", "are", "you", "doing", "?"});
  CHECK(pre_tokenize(R"({"type": "Whitespace"})", "\n").empty());
  CHECK(pre_tokenize(R"({"type": "WhitespaceSplit"})", "Hey man!") == Strings{"Hey", "man!"});
  CHECK(pre_tokenize(R"({"type": "WhitespaceSplit"})", "Hey, man, Good?") == Strings{"Hey,", "man,", "Good?"});
  CHECK(pre_tokenize(R"({"type": "Punctuation"})", "Hey friend!     How are you?!?") ==
        Strings{"Hey friend", "!", "     How are you", "?", "!", "?"});
  CHECK(pre_tokenize(R"({"type": "BertPreTokenizer"})", "Hey friend!     How are you?!?") ==
        Strings{"Hey", "friend", "!", "How", "are", "you", "?", "!", "?"});
  CHECK(pre_tokenize(R"({"type": "Digits", "individual_digits": true})", "Hey 123 friend!") == Strings{"Hey ", "1", "2", "3", " friend!"});
  CHECK(pre_tokenize(R"({"type": "Digits", "individual_digits": false})", "Hey 123 friend!") == Strings{"Hey ", "123", " friend!"});
  CHECK(pre_tokenize(R"({"type": "CharDelimiterSplit", "delimiter": "x"})", "axbxxc") == Strings{"a", "b", "c"});
}

TEST_CASE("tokenizer.json: Split pre-tokenizer behaviours", "[tokenizer_json]") {
  auto split = [](const std::string& behavior, bool invert = false) {
    return R"({"type": "Split", "pattern": {"String": " "}, "behavior": ")" + behavior + R"(", "invert": )" + (invert ? "true" : "false") + "}";
  };
  const std::string text = "How are  you";
  CHECK(pre_tokenize(split("Removed"), text) == Strings{"How", "are", "you"});
  CHECK(pre_tokenize(split("Isolated"), text) == Strings{"How", " ", "are", " ", " ", "you"});
  CHECK(pre_tokenize(split("MergedWithPrevious"), text) == Strings{"How ", "are ", " ", "you"});
  CHECK(pre_tokenize(split("MergedWithNext"), text) == Strings{"How", " are", " ", " you"});
  CHECK(pre_tokenize(split("Contiguous"), text) == Strings{"How", " ", "are", "  ", "you"});
  CHECK(pre_tokenize(split("Removed", true), text) == Strings{" ", " ", " "});
  // tokenizers: pre_tokenizers/split.rs (regex \w+|[^\w\s]+, inverted, Removed)
  CHECK(pre_tokenize(R"({"type": "Split", "pattern": {"Regex": "\\w+|[^\\w\\s]+"}, "behavior": "Removed", "invert": true})",
                     "How are you doing?") == Strings{"How", "are", "you", "doing", "?"});
  // tokenizers: pre_tokenizers/split.rs (basic: \w+|[^\w\s]+ inverted, every behaviour; invert; regex_string)
  auto inverted_words = [](const std::string& behavior) {
    return R"({"type": "Split", "pattern": {"Regex": "\\w+|[^\\w\\s]+"}, "invert": true, "behavior": ")" + behavior + "\"}";
  };
  const std::string question = "How are you doing?";
  CHECK(pre_tokenize(inverted_words("Removed"), question) == Strings{"How", "are", "you", "doing", "?"});
  CHECK(pre_tokenize(inverted_words("Isolated"), question) == Strings{"How", " ", "are", " ", "you", " ", "doing", "?"});
  CHECK(pre_tokenize(inverted_words("MergedWithPrevious"), question) == Strings{"How ", "are ", "you ", "doing", "?"});
  CHECK(pre_tokenize(inverted_words("MergedWithNext"), question) == Strings{"How", " are", " you", " doing", "?"});
  CHECK(pre_tokenize(inverted_words("Contiguous"), question) == Strings{"How", " ", "are", " ", "you", " ", "doing?"});
  CHECK(pre_tokenize(R"({"type": "Split", "pattern": {"String": "Hello"}, "behavior": "Removed", "invert": true})", "Hello Hello Hello") ==
        Strings{"Hello", "Hello", "Hello"});
  CHECK(pre_tokenize(R"({"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Removed", "invert": false})", "Hey, man!") ==
        pre_tokenize(R"({"type": "Split", "pattern": {"String": " "}, "behavior": "Removed", "invert": false})", "Hey, man!"));
  // A Llama-3 style pattern (case-insensitive group, \p classes, lookahead).
  const std::string llama3 =
      R"({"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}, "behavior": "Isolated", "invert": false})";
  CHECK(pre_tokenize(llama3, "I'M 12345 ok") == Strings{"I", "'M", " ", "123", "45", " ok"});
  CHECK(pre_tokenize(R"({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": true}]})",
                     "ab12 c3") == Strings{"ab", "1", "2", "c", "3"});
}

// ---- Normalizers ---------------------------------------------------------------------------

TEST_CASE("tokenizer.json: Unicode, case and accent normalizers", "[tokenizer_json]") {
  CHECK(normalize(R"({"type": "NFD"})", "\u00e9") == "e\u0301");
  CHECK(normalize(R"({"type": "NFC"})", "e\u0301") == "\u00e9");
  CHECK(normalize(R"({"type": "NFKC"})", "\ufb01\u2460") == "fi1");
  CHECK(normalize(R"({"type": "NFKD"})", "\u00bd\u00e9") == "1\u20442e\u0301");
  // Per character, as Rust's char::to_lowercase: a final sigma stays σ; İ becomes i + combining dot.
  CHECK(normalize(R"({"type": "Lowercase"})", "HELLO ΟΔΟΣ İ") == "hello οδοσ i\u0307");
  CHECK(normalize(R"({"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}]})", "élégant Ångström") ==
        "elegant Angstrom");
  // tokenizers: normalizers/strip.rs
  CHECK(normalize(R"({"type": "Strip", "strip_left": true, "strip_right": true})", "  \tHello \u3000") == "Hello");
  CHECK(normalize(R"({"type": "Strip", "strip_left": true, "strip_right": false})", "  Hello  ") == "Hello  ");
  CHECK(normalize(R"({"type": "Strip", "strip_left": false, "strip_right": true})", "  Hello  ") == "  Hello");
}

TEST_CASE("tokenizer.json: Replace, Prepend and BertNormalizer", "[tokenizer_json]") {
  // tokenizers: normalizers/replace.rs (replace "''" by "\"", regex "\s+" by " ")
  CHECK(normalize(R"({"type": "Replace", "pattern": {"String": "''"}, "content": "\""})", "This is a ''test''") == "This is a \"test\"");
  CHECK(normalize(R"({"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "})", "This     is   a         test") == "This is a test");
  CHECK(normalize(R"({"type": "Replace", "pattern": {"String": " "}, "content": "▁"})", " a b ") == "▁a▁b▁");
  CHECK(normalize(R"({"type": "Nmt"})", "a\u0001b\tc\u200bd\ufeff") == "ab c d ");
  CHECK(normalize(R"({"type": "ByteLevel"})", "a b\n") == "aĠbĊ");
  // tokenizers: normalizers/prepend.rs (an empty string stays empty)
  CHECK(normalize(R"({"type": "Prepend", "prepend": "▁"})", "hello") == "▁hello");
  CHECK(normalize(R"({"type": "Prepend", "prepend": "▁"})", "").empty());
  const std::string bert = R"({"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true})";
  CHECK(normalize(bert, std::string("Héllò\thôw") + std::string(1, '\0') + " are ü?") == "hello how are u?");
  CHECK(normalize(bert, "野口\u200bX") == " 野  口 x");
  // strip_accents null follows lowercase: no lowercase, accents kept.
  CHECK(normalize(R"({"type": "BertNormalizer", "lowercase": false})", "Héllò") == "Héllò");
}

TEST_CASE("tokenizer.json: Precompiled normalizer applies a SentencePiece charsmap as tokenizers does", "[tokenizer_json]") {
  const std::string blob = build_charsmap({{"\uff48", "h"}, {"\u2026", "..."}, {"\u00a0", " "}, {"x", "ks"}, {"xy", "Z"}});
  const auto charsmap = tj::PrecompiledCharsmap::from_bytes(blob, test_field("normalizer.precompiled_charsmap"));
  CHECK(charsmap.transform("\uff48") == std::optional<std::string_view>("h"));
  CHECK(charsmap.transform("q") == std::nullopt);
  CHECK(charsmap.normalize("\uff48ello\u2026\u00a0world") == "hello... world");
  // tokenizers (via spm_precompiled) takes the SHORTEST rule matching a prefix of the grapheme and
  // replaces the whole grapheme (under 6 bytes): "xy" is two graphemes, each looked up alone.
  CHECK(charsmap.normalize("xy") == "ksy");
  // A grapheme "x" + combining acute: the rule for "x" replaces the whole cluster.
  CHECK(charsmap.normalize("x\u0301!") == "ks!");
  const std::string spec = R"({"type": "Precompiled", "precompiled_charsmap": ")" + base64(blob) + "\"}";
  CHECK(normalize(spec, "\uff48\u2026") == "h...");
  CHECK(normalize(R"({"type": "Precompiled", "precompiled_charsmap": ""})", "\uff48 unchanged") == "\uff48 unchanged");
  CHECK_THROWS_WITH(normalize(R"({"type": "Precompiled", "precompiled_charsmap": "AAAA!"})", "x"),
                    "tokenizer.json: normalizer.precompiled_charsmap: not valid base64");
  CHECK_THROWS_WITH(normalize(R"({"type": "Precompiled", "precompiled_charsmap": "/////w=="})", "x"),
                    Catch::Contains("normalizer.precompiled_charsmap: charsmap trie size"));
}

// ---- Models --------------------------------------------------------------------------------

TEST_CASE("tokenizer.json: BPE model", "[tokenizer_json]") {
  // tokenizers: models/bpe/model.rs (test_tokenize_with_and_without_dropout)
  const auto unrelated = make_model(R"({"type": "BPE", "vocab": {"u": 0, "n": 1, "r": 2, "e": 3, "l": 4, "a": 5, "t": 6, "d": 7,
      "re": 8, "at": 9, "ed": 10, "un": 11, "ated": 12, "rel": 13, "related": 14, "unrelated": 15},
      "merges": ["r e", "a t", "e d", "u n", "at ed", "re l", "rel ated", "un related"]})");
  CHECK(model_tokenize(*unrelated, "unrelated") == ModelOutput{{15}, {"unrelated"}});
  CHECK(unrelated->type() == "BPE");
  // tokenizers: models/bpe/model.rs (test_unk_not_fused, test_unk_get_fused)
  const std::string unk_vocab = R"("vocab": {"<unk>": 0, "a": 1, "b": 2}, "merges": [], "unk_token": "<unk>")";
  const auto not_fused = make_model(R"({"type": "BPE", )" + unk_vocab + "}");
  CHECK(model_tokenize(*not_fused, "c") == ModelOutput{{0}, {"<unk>"}});
  CHECK(model_tokenize(*not_fused, "cc") == ModelOutput{{0, 0}, {"<unk>", "<unk>"}});
  CHECK(model_tokenize(*not_fused, "accb") == ModelOutput{{1, 0, 0, 2}, {"a", "<unk>", "<unk>", "b"}});
  const auto fused = make_model(R"({"type": "BPE", "fuse_unk": true, )" + unk_vocab + "}");
  CHECK(model_tokenize(*fused, "cc") == ModelOutput{{0}, {"<unk>"}});
  CHECK(model_tokenize(*fused, "accb") == ModelOutput{{1, 0, 2}, {"a", "<unk>", "b"}});
  // Without an unknown token, unknown characters are dropped.
  CHECK(model_tokenize(*make_model(R"({"type": "BPE", "vocab": {"a": 0}, "merges": []})"), "bab") == ModelOutput{{0}, {"a"}});
  // tokenizers: models/bpe/model.rs (test_bpe_byte_fallback, test_bpe_byte_fallback_newline)
  const auto byte_fallback = make_model(R"({"type": "BPE", "vocab": {"<unk>": 0, "<0x61>": 1, "<0x0A>": 2}, "merges": [],
      "unk_token": "<unk>", "byte_fallback": true})");
  CHECK(model_tokenize(*byte_fallback, "c") == ModelOutput{{0}, {"<unk>"}});
  CHECK(model_tokenize(*byte_fallback, "a") == ModelOutput{{1}, {"<0x61>"}});
  CHECK(model_tokenize(*byte_fallback, "\n") == ModelOutput{{2}, {"<0x0A>"}});
  // tokenizers: models/bpe/model.rs (test_bpe_with_continuing_subword_prefix), merges as pairs
  const auto prefixed = make_model(R"({"type": "BPE", "vocab": {"a": 0, "##b": 1, "##c": 2, "ab": 3, "abc": 4},
      "merges": [["a", "##b"], ["ab", "##c"]], "unk_token": null, "continuing_subword_prefix": "##"})");
  CHECK(model_tokenize(*prefixed, "ab") == ModelOutput{{3}, {"ab"}});
  CHECK(model_tokenize(*prefixed, "abc") == ModelOutput{{4}, {"abc"}});
  // tokenizers: models/bpe/model.rs (test_ignore_merges)
  const std::string ignore_vocab = R"("vocab": {".:.:": 0, "Ġbelirtilen": 1, ".": 2, ":": 3, "bel": 4, "irtilen": 5, "Ġ": 6, ".:": 7,
      "belirtilen": 8, ".:.": 9, "be": 10, "l": 11, "ir": 12, "ti": 13, "en": 14, "irtil": 15, "irti": 16, "i": 17, "r": 18,
      "t": 19, "b": 20, "e": 21, "n": 22},
      "merges": [". :", "b e", "be l", "i r", "t i", "ir ti", "e n", "irti l"])";
  const auto ignore_merges = make_model(R"({"type": "BPE", "ignore_merges": true, )" + ignore_vocab + "}");
  CHECK(model_tokenize(*ignore_merges, ".:.:") == ModelOutput{{0}, {".:.:"}});
  CHECK(model_tokenize(*ignore_merges, "Ġbelirtilen") == ModelOutput{{1}, {"Ġbelirtilen"}});
  const auto with_merges = make_model(R"({"type": "BPE", "ignore_merges": false, )" + ignore_vocab + "}");
  CHECK(model_tokenize(*with_merges, ".:.:") == ModelOutput{{7, 7}, {".:", ".:"}});
  CHECK(model_tokenize(*with_merges, "Ġbelirtilen") == ModelOutput{{6, 4, 15, 14}, {"Ġ", "bel", "irtil", "en"}});
  // end_of_word_suffix on the last character.
  const auto suffixed = make_model(R"({"type": "BPE", "vocab": {"a": 0, "b</w>": 1, "ab</w>": 2}, "merges": ["a b</w>"], "end_of_word_suffix": "</w>"})");
  CHECK(model_tokenize(*suffixed, "ab") == ModelOutput{{2}, {"ab</w>"}});
}

TEST_CASE("tokenizer.json: Unigram model", "[tokenizer_json]") {
  // tokenizers: models/unigram/model.rs (test_encode)
  const auto simple = make_model(R"({"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", 0.0], ["b", 0.0], ["c", 0.0],
      ["d", 0.0], ["cd", 1.0], ["ab", 2.0], ["abc", 5.0], ["abcd", 10.0]]})");
  CHECK(model_tokenize(*simple, "abcd").tokens == Strings{"abcd"});
  CHECK(simple->type() == "Unigram");
  // tokenizers: models/unigram/model.rs (test_encode2, fuse_unk true)
  const auto model = make_model(R"({"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["ab", 0.0], ["cd", -0.1],
      ["abc", -0.2], ["a", -0.3], ["b", -0.4], ["c", -0.5], ["ABC", -0.5], ["abcdabcd", 20.0], ["q", 20.5], ["r", 20.5], ["qr", -0.5]]})");
  CHECK(model_tokenize(*model, "abc").tokens == Strings{"abc"});
  CHECK(model_tokenize(*model, "AB") == ModelOutput{{0}, {"AB"}});
  CHECK(model_tokenize(*model, "abcd").tokens == Strings{"ab", "cd"});
  CHECK(model_tokenize(*model, "abcc").tokens == Strings{"abc", "c"});
  CHECK(model_tokenize(*model, "xabcabaabcdd").tokens == Strings{"x", "abc", "ab", "a", "ab", "cd", "d"});
  CHECK(model_tokenize(*model, "xyz東京") == ModelOutput{{0}, {"xyz東京"}});
  CHECK(model_tokenize(*model, "ABC").tokens == Strings{"ABC"});
  CHECK(model_tokenize(*model, "abABCcd").tokens == Strings{"ab", "ABC", "cd"});
  CHECK(model_tokenize(*model, "ababcdabcdcd").tokens == Strings{"ab", "abcdabcd", "cd"});
  CHECK(model_tokenize(*model, "abqrcd").tokens == Strings{"ab", "q", "r", "cd"});
  // tokenizers: models/unigram/model.rs (test_unigram_bytefallback; "<0xE2>" twice: the later id wins)
  const auto byte_fallback = make_model(R"({"type": "Unigram", "unk_id": 0, "byte_fallback": true, "vocab": [["<unk>", 0.0],
      ["<0xE2>", -0.01], ["<0x85>", -0.02], ["<0xE2>", -0.03], ["<0x90>", -0.04], ["<0x91>", -0.05], ["<0x9B>", -0.06],
      ["Hello", -0.1], ["how", -0.2], ["are", -0.3], [" ", -0.4]]})");
  CHECK(model_tokenize(*byte_fallback, "Hello⅐how are⅑⅑") ==
        ModelOutput{{7, 3, 2, 4, 8, 10, 9, 3, 2, 5, 3, 2, 5},
                    {"Hello", "<0xE2>", "<0x85>", "<0x90>", "how", " ", "are", "<0xE2>", "<0x85>", "<0x91>", "<0xE2>", "<0x85>", "<0x91>"}});
  CHECK(model_tokenize(*byte_fallback, " unknown‰") == ModelOutput{{10, 0}, {" ", "unknown‰"}});
}

TEST_CASE("tokenizer.json: WordPiece model", "[tokenizer_json]") {
  const auto model = make_model(R"({"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
      "max_input_chars_per_word": 10, "vocab": {"[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "a": 4, "##ü": 5, "b": 6}})");
  CHECK(model_tokenize(*model, "unaffable") == ModelOutput{{1, 2, 3}, {"un", "##aff", "##able"}});
  CHECK(model_tokenize(*model, "aü") == ModelOutput{{4, 5}, {"a", "##ü"}});
  CHECK(model_tokenize(*model, "unknown") == ModelOutput{{0}, {"[UNK]"}});   // "##k" is missing: the whole word
  CHECK(model_tokenize(*model, "bbbbbbbbbbb") == ModelOutput{{0}, {"[UNK]"}});  // 11 characters > 10
  CHECK(model->type() == "WordPiece");
  const auto word_level = make_model(R"({"type": "WordLevel", "unk_token": "<unk>", "vocab": {"<unk>": 0, "hello": 1}})");
  CHECK(model_tokenize(*word_level, "hello") == ModelOutput{{1}, {"hello"}});
  CHECK(model_tokenize(*word_level, "bye") == ModelOutput{{0}, {"<unk>"}});
  CHECK(word_level->type() == "WordLevel");
}

// ---- Decoders ------------------------------------------------------------------------------

TEST_CASE("tokenizer.json: decoders", "[tokenizer_json]") {
  // tokenizers: pre_tokenizers/byte_level.rs (decoding, decode_unknown_characters)
  CHECK(decode_chain(R"({"type": "ByteLevel"})", {"Hello", "Ġmy", "Ġfriend", ",", "Ġhow", "Ġis", "Ġyour", "Ġday", "Ġgoing", "?"}) ==
        Strings{"Hello my friend, how is your day going?"});
  CHECK(decode_chain(R"({"type": "ByteLevel"})", {"Hello", "Ġthere", "Ġdear", "Ġfriend!", "Ġ", "[PA D]"}) ==
        Strings{"Hello there dear friend! [PA D]"});
  CHECK(decode_chain(R"({"type": "ByteLevel"})", {"Ã"}) == Strings{"\ufffd"});  // a lone lead byte
  // tokenizers: pre_tokenizers/metaspace.rs (decode)
  CHECK(decode_chain(R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always"})", {"▁Hey", "▁friend!"}) ==
        Strings{"Hey", " friend!"});
  CHECK(decode_chain(R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never"})", {"▁Hey", "▁friend!"}) ==
        Strings{" Hey", " friend!"});
  // tokenizers: decoders/wordpiece.rs
  CHECK(decode_chain(R"({"type": "WordPiece", "prefix": "##", "cleanup": true})", {"##uelo", "Ara", "##új", "##o", "No", "##guera"}) ==
        Strings{"##uelo", " Ara", "új", "o", " No", "guera"});
  CHECK(decode_chain(R"({"type": "WordPiece", "cleanup": true})", {"I", "do", "not", "know", "."}) ==
        Strings{"I", " do", " not", " know", "."});
  // tokenizers: decoders/bpe.rs
  CHECK(decode_chain(R"({"type": "BPEDecoder", "suffix": "</w>"})", {"My</w>", "na", "me</w>", "is</w>", "Jo", "hn</w>"}) ==
        Strings{"My ", "na", "me ", "is ", "Jo", "hn"});
  // tokenizers: decoders/byte_fallback.rs
  const std::string byte_fallback = R"({"type": "ByteFallback"})";
  CHECK(decode_chain(byte_fallback, {"Hey", "friend!"}) == Strings{"Hey", "friend!"});
  CHECK(decode_chain(byte_fallback, {"<0x61>"}) == Strings{"a"});
  CHECK(decode_chain(byte_fallback, {"<0xE5>"}) == Strings{"\ufffd"});
  CHECK(decode_chain(byte_fallback, {"<0xE5>", "<0x8f>"}) == Strings{"\ufffd", "\ufffd"});
  CHECK(decode_chain(byte_fallback, {"<0xE5>", "<0x8f>", "<0xab>"}) == Strings{"叫"});
  CHECK(decode_chain(byte_fallback, {"<0xE5>", "<0x8f>", "<0xab>", "a"}) == Strings{"叫", "a"});
  CHECK(decode_chain(byte_fallback, {"<0xE5>", "<0x8f>", "a"}) == Strings{"\ufffd", "\ufffd", "a"});
  // tokenizers: decoders/fuse.rs, decoders/strip.rs
  CHECK(decode_chain(R"({"type": "Fuse"})", {"Hey", " friend!"}) == Strings{"Hey friend!"});
  CHECK(decode_chain(R"({"type": "Strip", "content": "H", "start": 1, "stop": 0})", {"Hey", " friend!", "HHH"}) ==
        Strings{"ey", " friend!", "HH"});
  CHECK(decode_chain(R"({"type": "Strip", "content": " ", "start": 0, "stop": 5})", {"a  ", "   "}) == Strings{"a", ""});
  // Llama's decoder: ▁ to spaces, byte tokens, fused, one leading space stripped.
  const std::string llama = R"({"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
      {"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]})";
  CHECK(decode_chain(llama, {"▁Hey", "▁friend", "<0x21>", "<0xE5>", "<0x8f>", "<0xab>"}) == Strings{"Hey friend!叫"});
}

// ---- Whole tokenizers ----------------------------------------------------------------------

TEST_CASE("tokenizer.json: BERT-style WordPiece tokenizer file", "[tokenizer_json]") {
  const TokenizerJson tokenizer = TokenizerJson::load(kDataDir + "wordpiece.json");
  CHECK(tokenizer.model_type() == "WordPiece");
  const auto encoding = tokenizer.encode("Hello, World! [MASK] unaffable", true);
  CHECK(encoding.ids == std::vector<int>{2, 5, 11, 6, 7, 4, 8, 9, 10, 3});
  CHECK(encoding.tokens == Strings{"[CLS]", "hello", ",", "world", "!", "[MASK]", "un", "##aff", "##able", "[SEP]"});
  CHECK(tokenizer.encode("Hello, World! [MASK] unaffable", false).ids == std::vector<int>{5, 11, 6, 7, 4, 8, 9, 10});
  CHECK(tokenizer.encode("Café 野口 xyz", false).ids == std::vector<int>{16, 17, 18, 1});
  CHECK(tokenizer.encode("", true).ids == std::vector<int>{2, 3});
  CHECK(tokenizer.decode(encoding.ids, true) == "hello, world! unaffable");
  CHECK(tokenizer.decode(encoding.ids, false) == "[CLS] hello, world! [MASK] unaffable [SEP]");
  CHECK(tokenizer.decode({5, 999, 6}, false) == "hello world");  // unknown ids are skipped
  CHECK(tokenizer.vocab_size() == 19);
  CHECK(tokenizer.token_to_id("[MASK]") == 4);
  CHECK(tokenizer.token_to_id("##able") == 10);
  CHECK_FALSE(tokenizer.token_to_id("nope"));
  CHECK(tokenizer.id_to_token(9) == "##aff");
  CHECK_FALSE(tokenizer.id_to_token(-1));
  CHECK(tokenizer.is_special(4));
  CHECK_FALSE(tokenizer.is_special(5));
  CHECK_THROWS_WITH(tokenizer.encode("bad \xff byte", true), "text to encode: invalid UTF-8 at byte 4");
}

TEST_CASE("tokenizer.json: RoBERTa-style byte-level BPE tokenizer file", "[tokenizer_json]") {
  const TokenizerJson tokenizer = TokenizerJson::load(kDataDir + "byte_level_bpe.json");
  CHECK(tokenizer.model_type() == "BPE");
  const auto encoding = tokenizer.encode("Hello world!", true);
  CHECK(encoding.ids == std::vector<int>{0, 16, 21, 12, 2});
  CHECK(encoding.tokens == Strings{"<s>", "Hello", "Ġworld", "!", "</s>"});
  // <mask> has lstrip: it takes the space before it.
  CHECK(tokenizer.encode("Hello <mask>!", false).ids == std::vector<int>{16, 25, 12});
  CHECK(tokenizer.encode("Hello <mask>!", false).tokens == Strings{"Hello", " <mask>", "!"});
  CHECK(tokenizer.encode("Hello</s>é", false).ids == std::vector<int>{16, 2, 24});
  // No unk_token: bytes missing from the vocabulary are dropped.
  CHECK(tokenizer.encode("Hello z", false).ids == std::vector<int>{16, 8});
  CHECK(tokenizer.decode(encoding.ids, true) == "Hello world!");
  CHECK(tokenizer.decode(encoding.ids, false) == "<s>Hello world!</s>");
  CHECK(tokenizer.decode({24, 22}, false) == "é\ufffd");
  CHECK(tokenizer.vocab_size() == 26);  // 25 model tokens + <mask>
}

TEST_CASE("tokenizer.json: SentencePiece-style Unigram tokenizer file", "[tokenizer_json]") {
  const TokenizerJson tokenizer = TokenizerJson::load(kDataDir + "unigram.json");
  CHECK(tokenizer.model_type() == "Unigram");
  const auto encoding = tokenizer.encode("hello  world!  ", true);
  CHECK(encoding.ids == std::vector<int>{4, 5, 17, 1});
  CHECK(encoding.tokens == Strings{"▁hello", "▁world", "!", "</s>"});
  const auto unknown = tokenizer.encode("hello xyz", false);
  CHECK(unknown.ids == std::vector<int>{4, 3, 2});
  CHECK(unknown.tokens == Strings{"▁hello", "▁", "xyz"});
  CHECK(tokenizer.decode(encoding.ids, true) == "hello world!");
  CHECK(tokenizer.decode(encoding.ids, false) == "hello world!</s>");
  CHECK(tokenizer.vocab_size() == 18);
}

TEST_CASE("tokenizer.json: added tokens: single_word, rstrip, normalized, longest match first", "[tokenizer_json]") {
  const std::string json = R"({
    "added_tokens": [
      {"id": 7, "content": "ab", "single_word": true, "lstrip": false, "rstrip": false, "normalized": false, "special": false},
      {"id": 8, "content": "[X]", "single_word": false, "lstrip": false, "rstrip": true, "normalized": false, "special": true},
      {"id": 9, "content": "[X]Y", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": false},
      {"id": 10, "content": "MiXeD", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": false}
    ],
    "normalizer": {"type": "Lowercase"},
    "pre_tokenizer": {"type": "WhitespaceSplit"},
    "model": {"type": "WordPiece", "unk_token": "?", "vocab": {"?": 0, "a": 1, "b": 2, "##b": 3, "c": 4, "##c": 5, "y": 6}}
  })";
  const TokenizerJson tokenizer = TokenizerJson::parse(json, "inline.json");
  CHECK(tokenizer.encode("ab cab", false).ids == std::vector<int>{7, 0});  // "cab": inside a word, so WordPiece's (unknown) word
  CHECK(tokenizer.encode("_ab", false).ids == std::vector<int>{0});  // "_" is a word character (\w)
  CHECK(tokenizer.encode("[X]   c", false).ids == std::vector<int>{8, 4});    // rstrip eats the spaces
  CHECK(tokenizer.encode("[X]Y", false).ids == std::vector<int>{9});          // the longer match wins
  CHECK(tokenizer.encode("A mixed MIXED", false).ids == std::vector<int>{1, 10, 10});  // matched after lowercasing
  CHECK(tokenizer.encode("A mixed MIXED", false).tokens == Strings{"a", "mixed", "mixed"});  // the matched (normalized) text
  CHECK(tokenizer.is_special(8));
  CHECK_FALSE(tokenizer.is_special(9));
  CHECK(tokenizer.decode({7, 8, 1}, true) == "ab a");  // no decoder: tokens joined by spaces
  CHECK(tokenizer.vocab_size() == 11);
}

TEST_CASE("tokenizer.json: added token ids as tokenizers assigns them, not as the file says", "[tokenizer_json]") {
  // tokenizers' AddedVocabulary::add_tokens: the model's id for a token it knows, otherwise the
  // vocabulary size, then one past the largest added id.
  const std::string json = R"({
    "added_tokens": [
      {"id": 50, "content": "a", "special": true},
      {"id": 51, "content": "<x>", "special": true},
      {"id": 52, "content": "<y>", "special": false},
      {"id": 53, "content": "<x>", "special": true}
    ],
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1, "b": 2}}
  })";
  const TokenizerJson tokenizer = TokenizerJson::parse(json, "ids.json");
  CHECK(tokenizer.token_to_id("a") == 1);
  CHECK(tokenizer.token_to_id("<x>") == 3);
  CHECK(tokenizer.token_to_id("<y>") == 4);
  CHECK(tokenizer.encode("<y>a<x>", false).ids == std::vector<int>{4, 1, 3});
  CHECK(tokenizer.is_special(1));
  CHECK(tokenizer.vocab_size() == 5);
}

namespace {

// A tokenizer whose model shows the text between added tokens: a Unigram model with only an
// unknown piece fuses each such part into one token carrying its text (id 0).
TokenizerJson added_token_tokenizer(const std::string& added_tokens, const std::string& normalizer) {
  return TokenizerJson::parse(R"({"added_tokens": )" + added_tokens + R"(, "normalizer": )" + normalizer +
                                  R"(, "model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]}})",
                              "added.json");
}

std::string added(const std::string& content, bool special, bool lstrip = false, bool rstrip = false, bool single_word = false) {
  auto flag = [](bool value) { return value ? "true" : "false"; };
  return std::string(R"({"id": 0, "content": ")") + content + R"(", "special": )" + flag(special) + R"(, "normalized": )" +
         flag(!special) + R"(, "lstrip": )" + flag(lstrip) + R"(, "rstrip": )" + flag(rstrip) + R"(, "single_word": )" +
         flag(single_word) + "}";
}

}  // namespace

TEST_CASE("tokenizer.json: added tokens as tokenizers' AddedVocabulary tests", "[tokenizer_json]") {
  const std::string lowercase = R"({"type": "Lowercase"})";
  // tokenizers: tokenizer/added_vocabulary.rs (options_use_cases); ids here start at 1 (the model has <unk>)
  {
    const auto tokenizer = added_token_tokenizer("[" + added("my", false, true, true) + ", " + added("name", false) + ", " +
                                                     added("ony", false, false, false, true) + ", " + added("[CLS]", true) + ", " +
                                                     added("[SEP]", true) + "]",
                                                 lowercase);
    const auto encoding = tokenizer.encode("[CLS] My name is Anthony [SEP]", false);
    CHECK(encoding.tokens == Strings{"[CLS]", " my ", "name", " is anthony ", "[SEP]"});
    CHECK(encoding.ids == std::vector<int>{4, 1, 2, 0, 5});
  }
  // tokenizers: tokenizer/added_vocabulary.rs (test_single_word_is_correct, test_single_word_is_unicode_correct)
  {
    const auto tokenizer = added_token_tokenizer("[" + added("<mask>", false, false, false, true) + "]", lowercase);
    CHECK(tokenizer.encode("<mask> My name <mask> A<mask> <mask>ony <mask>", false).tokens ==
          Strings{"<mask>", " my name ", "<mask>", " a<mask> <mask>ony ", "<mask>"});
    CHECK(tokenizer.encode("<mask>, <mask>- \u25cc\u0330<mask>", false).tokens ==
          Strings{"<mask>", ", ", "<mask>", "- \u25cc\u0330<mask>"});
  }
  // tokenizers: tokenizer/added_vocabulary.rs (test_lstrip_unicode_space)
  {
    const auto tokenizer = added_token_tokenizer("[" + added("<mask>", false, true, true, true) + "]", lowercase);
    CHECK(tokenizer.encode("Hi <mask> there\t<mask>\t<mask>\u2000", false).tokens ==
          Strings{"hi", " <mask> ", "there", "\t<mask>\t", "<mask>\u2000"});
  }
  // tokenizers: tokenizer/added_vocabulary.rs (test_encode_special_tokens, encode_special_tokens off)
  {
    const auto tokenizer = added_token_tokenizer(
        "[" + added("<mask>", true, true, true, true) + ", " + added("ask>", false) + ", " + added("<pad>", true) + "]", lowercase);
    const auto encoding = tokenizer.encode("Hi <mask> there\t<mask>\t<mask>\u2000 <pad> <mask><pad><pad>", false);
    CHECK(encoding.tokens == Strings{"hi", " <mask> ", "there", "\t<mask>\t", "<mask>\u2000 ", "<pad>", " <mask>", "<pad>", "<pad>"});
    CHECK(encoding.ids == std::vector<int>{0, 1, 0, 1, 1, 3, 1, 3, 3});
  }
  // tokenizers: tokenizer/added_vocabulary.rs (byte_level_normalizer)
  {
    const auto tokenizer = added_token_tokenizer("[" + added("my", false) + ", " + added("今", false) + "]", R"({"type": "ByteLevel"})");
    CHECK(tokenizer.encode("my今", false).tokens == Strings{"my", "ä»Ĭ"});
    CHECK(tokenizer.encode("my今", false).ids == std::vector<int>{1, 2});
  }
  // tokenizers: tokenizer/added_vocabulary.rs (can_add_special_tokens: ids)
  {
    const auto tokenizer = TokenizerJson::parse(
        "{\"added_tokens\": [" + added("added_token_1", true) + ", " + added("added_token_2", true) + ", " + added("added_token_2", true) +
            ", " + added("test", true) + ", " + added("tost", true) + ", " + added("another_two", false) + ", " +
            added("another_two", true) + R"(], "model": {"type": "Unigram", "vocab": [["test", 0.0], ["tost", 0.0]]}})",
        "ids.json");
    CHECK(tokenizer.token_to_id("added_token_1") == 2);
    CHECK(tokenizer.token_to_id("added_token_2") == 3);
    CHECK(tokenizer.token_to_id("test") == 0);
    CHECK(tokenizer.token_to_id("another_two") == 4);
    CHECK(tokenizer.is_special(0));
    CHECK(tokenizer.vocab_size() == 5);
  }
}

TEST_CASE("tokenizer.json: Metaspace prepend_scheme first after an added token", "[tokenizer_json]") {
  const std::string json = R"({
    "added_tokens": [{"id": 0, "content": "<s>", "special": true, "normalized": false}],
    "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false},
    "model": {"type": "Unigram", "unk_id": 1, "vocab": [["<s>", 0.0], ["<unk>", 0.0], ["▁hi", -1.0], ["hi", -1.0], ["▁", -2.0]]}
  })";
  const TokenizerJson tokenizer = TokenizerJson::parse(json, "inline.json");
  CHECK(tokenizer.encode("hi<s>hi", false).tokens == Strings{"▁hi", "<s>", "hi"});
  CHECK(tokenizer.encode("<s>hi", false).tokens == Strings{"<s>", "hi"});
}

TEST_CASE("tokenizer.json: post-processors", "[tokenizer_json]") {
  const std::string model = R"("model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}})";
  const TokenizerJson bert = TokenizerJson::parse(
      R"({"post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}, )" + model + "}", "bert.json");
  CHECK(bert.encode("a", true).ids == std::vector<int>{101, 1, 102});
  CHECK(bert.encode("a", false).ids == std::vector<int>{1});
  const TokenizerJson sequence = TokenizerJson::parse(
      R"({"post_processor": {"type": "Sequence", "processors": [{"type": "ByteLevel", "trim_offsets": true},
          {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
           "pair": [], "special_tokens": {"<bos>": {"id": "<bos>", "ids": [7, 8], "tokens": ["<b", "os>"]}}}]}, )" + model + "}", "seq.json");
  CHECK(sequence.encode("a", true).ids == std::vector<int>{7, 8, 1});
  CHECK(sequence.encode("a", true).tokens == Strings{"<b", "os>", "a"});
}

TEST_CASE("tokenizer.json: clean_up_tokenization as transformers", "[tokenizer_json]") {
  CHECK(crossmt::clean_up_tokenization("Hello , world ! I 'm here . Do n't ask ? They 've , we 're , it 's") ==
        "Hello, world! I'm here. Don't ask? They've, we're, it's");
  CHECK(crossmt::clean_up_tokenization("a ' b") == "a'b");
}

// ---- Errors --------------------------------------------------------------------------------

TEST_CASE("tokenizer.json: errors name the file and the field", "[tokenizer_json]") {
  const std::string wordpiece = R"("model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0}})";
  auto parse_error = [](const std::string& json) { return error_of([&] { (void)TokenizerJson::parse(json, "tokenizer.json"); }); };
  CHECK(parse_error(R"({"model": {"type": "WordLevel2", "vocab": {}}})") == "tokenizer.json: model.type: unknown model type \"WordLevel2\"");
  CHECK(parse_error(R"({"normalizer": {"type": "Foo"}, )" + wordpiece + "}") == "tokenizer.json: normalizer.type: unknown normalizer \"Foo\"");
  CHECK(parse_error(R"({"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Bar"}]}, )" + wordpiece + "}") ==
        "tokenizer.json: normalizer.normalizers[1].type: unknown normalizer \"Bar\"");
  CHECK(parse_error(R"({"pre_tokenizer": {"type": "Foo"}, )" + wordpiece + "}") == "tokenizer.json: pre_tokenizer.type: unknown pre-tokenizer \"Foo\"");
  CHECK(parse_error(R"({"decoder": {"type": "Foo"}, )" + wordpiece + "}") == "tokenizer.json: decoder.type: unknown decoder \"Foo\"");
  CHECK(parse_error(R"({"post_processor": {"type": "Foo"}, )" + wordpiece + "}") == "tokenizer.json: post_processor.type: unknown post-processor \"Foo\"");
  CHECK(parse_error(R"({"model": {"type": "BPE", "vocab": {"a": 0}}})") == "tokenizer.json: model.merges: missing");
  CHECK(parse_error(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})") ==
        "tokenizer.json: model.merges[0]: token \"b\" is not in the vocabulary");
  CHECK(parse_error(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "<unk>"}})") ==
        "tokenizer.json: model.unk_token: \"<unk>\" is not in the vocabulary");
  CHECK(parse_error(R"({"model": {"type": "WordPiece", "vocab": {"a": 0}}})") == "tokenizer.json: model.unk_token: \"[UNK]\" is not in the vocabulary");
  CHECK(parse_error(R"({"model": {"type": "Unigram", "unk_id": 3, "vocab": [["a", 0.0]]}})") ==
        "tokenizer.json: model.unk_id: 3 is not an id of the vocabulary (1 pieces)");
  CHECK(parse_error(R"({"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}})") ==
        "tokenizer.json: model.vocab: id of \"a\" is not a non-negative 32-bit integer");
  CHECK(parse_error(R"({"added_tokens": [{"id": 1}], )" + wordpiece + "}") == "tokenizer.json: added_tokens[0].content: missing");
  CHECK_THAT(parse_error(R"({"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}, )" + wordpiece + "}"),
        Catch::Contains("tokenizer.json: pre_tokenizer.pattern.Regex: invalid regular expression"));
  CHECK(parse_error(R"({"pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "Sideways"}, )" + wordpiece + "}") ==
        "tokenizer.json: pre_tokenizer.behavior: unknown split behavior \"Sideways\"");
  CHECK(parse_error(R"({"normalizer": null})") == "tokenizer.json: model: missing");
  CHECK(parse_error("[1, 2]") == "tokenizer.json: (top level): expected a JSON object");
  CHECK_THAT(parse_error("{\"model\": "), Catch::StartsWith("tokenizer.json: not valid JSON ("));
  CHECK_THAT(parse_error("not json"), Catch::StartsWith("tokenizer.json: not valid JSON ("));
  // A truncated real file.
  std::string truncated;
  {
    std::ifstream file(kDataDir + "wordpiece.json");
    truncated.assign(std::istreambuf_iterator<char>(file), {});
  }
  truncated.resize(truncated.size() / 2);
  CHECK_THAT(parse_error(truncated), Catch::StartsWith("tokenizer.json: not valid JSON ("));
  CHECK_THAT(error_of([] { (void)TokenizerJson::load(kDataDir + "missing.json"); }), Catch::EndsWith("missing.json: cannot open the file"));
  // Every message is one line.
  CHECK(parse_error("{\n\"model\": 1\n}").find('\n') == std::string::npos);
}

TEST_CASE("tokenizer.json: hostile input does not crash", "[tokenizer_json]") {
  std::string nested = R"({"type": "NFC"})";
  for (int i = 0; i < 500; ++i) nested = R"({"type": "Sequence", "normalizers": [)" + nested + "]}";
  CHECK_THROWS_AS(TokenizerJson::parse(R"({"normalizer": )" + nested + R"(, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}})", "deep.json"),
                  crossmt::Error);
  const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
  CHECK(error_of([&] { (void)TokenizerJson::parse(deep_array, "deep.json"); }) == "deep.json: (top level): expected a JSON object");
  CHECK_THROWS_AS(TokenizerJson::parse(std::string(100000, '['), "deep.json"), crossmt::Error);
  const TokenizerJson tokenizer = TokenizerJson::load(kDataDir + "byte_level_bpe.json");
  const std::string long_word(100000, 'l');  // one 100,000-byte word: BPE must stay fast
  CHECK(tokenizer.encode(long_word, false).ids.size() == 50000);
  CHECK(tokenizer.decode({-5, 1 << 30}, false).empty());
}

// ---- Slow byte-level BPE -------------------------------------------------------------------

TEST_CASE("byte-level BPE: vocab.json + merges.txt as GPT2Tokenizer", "[tokenizer_json]") {
  const crossmt::ByteLevelBpe bpe = crossmt::ByteLevelBpe::load(kDataDir + "vocab.json", kDataDir + "merges.txt");
  CHECK(bpe.tokenize("Hello world!") == Strings{"Hello", "Ġworld", "!"});
  CHECK(bpe.tokenize("Hello  world") == Strings{"Hello", "Ġ", "Ġworld"});
  CHECK(bpe.tokenize("é") == Strings{"Ã©"});
  // merges.txt may merge into a string vocab.json lacks; the token stays (its id is the caller's unk).
  CHECK(bpe.tokenize("!!") == Strings{"!!"});
  CHECK_FALSE(bpe.token_to_id("!!"));
  CHECK(bpe.token_to_id("Ġworld") == 21);
  CHECK(bpe.id_to_token(16) == "Hello");
  CHECK_FALSE(bpe.id_to_token(1000));
  CHECK(bpe.vocab_size() == 26);
  CHECK(bpe.detokenize({"Hello", "Ġworld", "!"}) == "Hello world!");
  CHECK(bpe.detokenize({"Ã©", "Ã"}) == "é\ufffd");  // errors="replace"
  const crossmt::ByteLevelBpe prefixed = crossmt::ByteLevelBpe::load(kDataDir + "vocab.json", kDataDir + "merges.txt", true);
  CHECK(prefixed.tokenize("Hello world!") == Strings{"Ġ", "Hello", "Ġworld", "!"});
  CHECK_THROWS_WITH(bpe.tokenize("\xc3"), "text to tokenize: invalid UTF-8 at byte 0");
}

TEST_CASE("byte-level BPE: same tokens as the tokenizer.json BPE on the same vocabulary", "[tokenizer_json]") {
  const crossmt::ByteLevelBpe slow = crossmt::ByteLevelBpe::load(kDataDir + "vocab.json", kDataDir + "merges.txt");
  const TokenizerJson fast = TokenizerJson::load(kDataDir + "byte_level_bpe.json");
  for (const std::string text : {"Hello world!", "Hello world  Hello", "éHello!", "He llo wor ld"})
    CHECK(slow.tokenize(text) == fast.encode(text, false).tokens);
}

TEST_CASE("byte-level BPE: errors name the file", "[tokenizer_json]") {
  CHECK_THAT(error_of([] { (void)crossmt::ByteLevelBpe::from_strings("{\"a\": 0", "#version\n", false, "vocab.json", "merges.txt"); }),
        Catch::StartsWith("vocab.json: not valid JSON ("));
  CHECK(error_of([] { (void)crossmt::ByteLevelBpe::from_strings("{\"a\": 0}", "#version\na b c\n", false, "v.json", "m.txt"); }) ==
        "m.txt: line 2: expected two symbols separated by a space");
  CHECK_THAT(error_of([] { (void)crossmt::ByteLevelBpe::load(kDataDir + "vocab.json", kDataDir + "nothing.txt"); }),
        Catch::EndsWith("nothing.txt: cannot open the file"));
}
