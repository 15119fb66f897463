// The tokenizer.json pipeline: added tokens split off (non-normalized ones from the raw text,
// normalized ones after normalization), the rest normalized, pre-tokenized and tokenized by the
// model, then post-processed; decoding runs the decoder chain.
#include "tokenizer_json.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "crossmt/error.h"
#include "crossmt/tokenizer.h"
#include "added_tokens.h"
#include "components.h"

namespace crossmt {

using namespace tokenizer_json;

struct TokenizerJson::Impl {
  std::string origin;
  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> pre_tokenizer;
  std::unique_ptr<Model> model;
  std::unique_ptr<PostProcessor> post_processor;
  std::unique_ptr<Decoder> decoder;
  std::unordered_map<std::string, int> added_token_ids;         // content -> id
  std::map<int, AddedToken> added_tokens_by_id;  // ordered: matchers built in id order
  void add_tokens(const std::vector<AddedToken>& tokens);
  AddedTokenMatcher raw_matcher, normalized_matcher;
};

TokenizerJson::TokenizerJson() : impl_(std::make_unique<Impl>()) {}
TokenizerJson::~TokenizerJson() = default;
TokenizerJson::TokenizerJson(TokenizerJson&&) noexcept = default;
TokenizerJson& TokenizerJson::operator=(TokenizerJson&&) noexcept = default;

TokenizerJson TokenizerJson::load(const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw Error(file.string() + ": cannot open the file");
  std::ostringstream content;
  content << stream.rdbuf();
  if (stream.bad()) throw Error(file.string() + ": cannot read the file");
  return parse(content.str(), file.string());
}

TokenizerJson TokenizerJson::parse(std::string_view json_text, const std::string& origin) {
  Json root;
  try {
    root = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::exception& failure) {
    throw Error(origin + ": not valid JSON (" + failure.what() + ")");
  }
  TokenizerJson tokenizer;
  Impl& impl = *tokenizer.impl_;
  impl.origin = origin;
  const Field top{&impl.origin, ""};
  if (!root.is_object()) top.fail("expected a JSON object");
  try {
    impl.model = make_model(require_member(root, top, "model"), top.at("model"));
    if (const Json* spec = find_member(root, "normalizer")) impl.normalizer = make_normalizer(*spec, top.at("normalizer"));
    if (const Json* spec = find_member(root, "pre_tokenizer")) impl.pre_tokenizer = make_pre_tokenizer(*spec, top.at("pre_tokenizer"));
    if (const Json* spec = find_member(root, "post_processor")) impl.post_processor = make_post_processor(*spec, top.at("post_processor"));
    if (const Json* spec = find_member(root, "decoder")) impl.decoder = make_decoder(*spec, top.at("decoder"));

    std::vector<AddedToken> added_tokens;
    if (const Json* list = find_member(root, "added_tokens")) {
      const Field list_field = top.at("added_tokens");
      if (!list->is_array()) list_field.fail("expected an array");
      added_tokens.reserve(list->size());
      for (std::size_t i = 0; i < list->size(); ++i) {
        const Json& entry = (*list)[i];
        const Field field = list_field.index(i);
        AddedToken token;
        const int64_t id = int_member(entry, field, "id");
        if (id < 0 || id > INT32_MAX) field.at("id").fail("not a non-negative 32-bit id");
        token.id = static_cast<int>(id);
        token.content = string_member(entry, field, "content");
        token.single_word = bool_member(entry, field, "single_word", false);
        token.lstrip = bool_member(entry, field, "lstrip", false);
        token.rstrip = bool_member(entry, field, "rstrip", false);
        token.special = bool_member(entry, field, "special", false);
        token.normalized = bool_member(entry, field, "normalized", !token.special);
        added_tokens.push_back(std::move(token));
      }
    }
    impl.add_tokens(added_tokens);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& failure) {  // nlohmann type errors the checks above missed
    top.fail(std::string("unexpected content (") + failure.what() + ")");
  }
  for (const auto& [id, token] : impl.added_tokens_by_id) {
    if (impl.added_token_ids.at(token.content) != id) continue;  // content re-added under another id
    if (token.normalized) {
      std::string pattern = token.content;
      if (impl.normalizer) impl.normalizer->normalize(pattern);
      impl.normalized_matcher.add(token, std::move(pattern));
    } else {
      impl.raw_matcher.add(token, token.content);
    }
  }
  return tokenizer;
}

// As tokenizers' AddedVocabulary::add_tokens when it reads tokenizer.json: the ids written in the
// file are not used. A token the model knows gets the model's id; a new one gets the vocabulary
// size, or the largest added id + 1 once added ids reach past the vocabulary.
void TokenizerJson::Impl::add_tokens(const std::vector<AddedToken>& tokens) {
  const int vocab_size = static_cast<int>(model->vocab_size());
  std::optional<int> largest_added;
  for (AddedToken token : tokens) {
    if (token.content.empty()) continue;
    std::optional<int> id;
    if (const auto known = added_token_ids.find(token.content); known != added_token_ids.end())
      id = known->second;
    else
      id = model->token_to_id(token.content);
    if (!id) {
      if (!largest_added)
        id = vocab_size;
      else
        id = (*largest_added >= vocab_size || vocab_size == 0) ? *largest_added + 1 : vocab_size;
    }
    token.id = *id;
    added_token_ids[token.content] = *id;
    added_tokens_by_id[*id] = std::move(token);
    largest_added = std::max(largest_added.value_or(*id), *id);
  }
}

TokenizerJson::Encoding TokenizerJson::encode(std::string_view text, bool add_special_tokens) const {
  const Impl& impl = *impl_;
  if (const auto invalid = find_invalid_utf8(text))
    throw Error("text to encode: invalid UTF-8 at byte " + std::to_string(*invalid));
  std::vector<Token> tokens;
  auto add_added_token = [&](const TextPart& part) {
    tokens.push_back({*part.added_token_id, part.text});  // as matched: with stripped spaces, normalized
  };
  std::vector<TextPart> raw_parts;
  const TextPart whole{std::string(text), std::nullopt, true};
  if (impl.raw_matcher.empty())
    raw_parts.push_back(whole);
  else
    impl.raw_matcher.split(whole, raw_parts);
  for (TextPart& raw : raw_parts) {
    if (raw.added_token_id) {
      add_added_token(raw);
      continue;
    }
    if (impl.normalizer) impl.normalizer->normalize(raw.text);
    std::vector<TextPart> parts;
    if (impl.normalized_matcher.empty())
      parts.push_back(std::move(raw));
    else
      impl.normalized_matcher.split(raw, parts);
    for (TextPart& part : parts) {
      if (part.added_token_id) {
        add_added_token(part);
        continue;
      }
      if (part.text.empty()) continue;
      Pieces pieces{{std::move(part.text), part.at_text_start}};
      if (impl.pre_tokenizer) impl.pre_tokenizer->pre_tokenize(pieces);
      for (const Piece& piece : pieces) impl.model->tokenize(piece.text, tokens);
    }
  }
  if (impl.post_processor) impl.post_processor->process(tokens, add_special_tokens);
  Encoding encoding;
  encoding.ids.reserve(tokens.size());
  encoding.tokens.reserve(tokens.size());
  for (Token& token : tokens) {
    encoding.ids.push_back(token.id);
    encoding.tokens.push_back(std::move(token.text));
  }
  return encoding;
}

std::string TokenizerJson::decode(const std::vector<int>& ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (const int id : ids) {
    if (skip_special_tokens && is_special(id)) continue;
    if (auto token = id_to_token(id)) tokens.push_back(std::move(*token));
  }
  std::string text;
  if (impl_->decoder) {
    impl_->decoder->decode(tokens);
    for (const std::string& token : tokens) text += token;
  } else {
    for (std::size_t i = 0; i < tokens.size(); ++i) text += (i ? " " : "") + tokens[i];
  }
  return text;
}

std::optional<int> TokenizerJson::token_to_id(std::string_view token) const {
  const auto found = impl_->added_token_ids.find(std::string(token));
  if (found != impl_->added_token_ids.end()) return found->second;
  return impl_->model->token_to_id(token);
}

std::optional<std::string> TokenizerJson::id_to_token(int id) const {
  const auto found = impl_->added_tokens_by_id.find(id);
  if (found != impl_->added_tokens_by_id.end()) return found->second.content;
  return impl_->model->id_to_token(id);
}

std::size_t TokenizerJson::vocab_size() const {
  // The size of get_vocab(): model tokens and added tokens, each spelling counted once.
  std::size_t size = impl_->model->vocab_size();
  for (const auto& [content, id] : impl_->added_token_ids)
    if (!impl_->model->token_to_id(content)) ++size;
  return size;
}

bool TokenizerJson::is_special(int id) const {
  const auto found = impl_->added_tokens_by_id.find(id);
  return found != impl_->added_tokens_by_id.end() && found->second.special;
}

std::string TokenizerJson::model_type() const { return impl_->model->type(); }

std::string clean_up_tokenization(std::string text) {
  auto replace_all = [&text](std::string_view from, std::string_view to) {
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
      text.replace(pos, from.size(), to);
  };
  replace_all(" .", ".");
  replace_all(" ?", "?");
  replace_all(" !", "!");
  replace_all(" ,", ",");
  replace_all(" ' ", "'");
  replace_all(" n't", "n't");
  replace_all(" 'm", "'m");
  replace_all(" 's", "'s");
  replace_all(" 've", "'ve");
  replace_all(" 're", "'re");
  return text;
}

}  // namespace crossmt
