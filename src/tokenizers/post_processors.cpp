// tokenizer.json post-processors for a single sequence: the special tokens around the encoded
// text when add_special_tokens is set.
#include <map>

#include "components.h"

namespace crossmt::tokenizer_json {
namespace {

// Prefix and suffix tokens around the sequence (TemplateProcessing, BertProcessing,
// RobertaProcessing alike for a single sequence).
class SurroundingTokens final : public PostProcessor {
 public:
  SurroundingTokens(std::vector<Token> before, std::vector<Token> after) : before_(std::move(before)), after_(std::move(after)) {}
  void process(std::vector<Token>& tokens, bool add_special_tokens) const override {
    if (!add_special_tokens) return;
    tokens.insert(tokens.begin(), before_.begin(), before_.end());
    tokens.insert(tokens.end(), after_.begin(), after_.end());
  }
 private:
  std::vector<Token> before_, after_;
};

// ByteLevel as a post-processor only trims offsets, which crossmt does not track.
class NoPostProcessing final : public PostProcessor {
 public:
  void process(std::vector<Token>&, bool) const override {}
};

class SequencePostProcessor final : public PostProcessor {
 public:
  explicit SequencePostProcessor(std::vector<std::unique_ptr<PostProcessor>> steps) : steps_(std::move(steps)) {}
  void process(std::vector<Token>& tokens, bool add_special_tokens) const override {
    for (const auto& step : steps_) step->process(tokens, add_special_tokens);
  }
 private:
  std::vector<std::unique_ptr<PostProcessor>> steps_;
};

// ["</s>", 2]
Token read_token_pair(const Json& spec, const Field& field, std::string_view key) {
  const Json& pair = require_member(spec, field, key);
  if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_number_integer() || pair[1].get<int64_t>() < 0 ||
      pair[1].get<int64_t>() > INT32_MAX)
    field.at(key).fail("expected [token, id]");
  return {pair[1].get<int>(), pair[0].get<std::string>()};
}

std::unique_ptr<PostProcessor> make_template(const Json& spec, const Field& field) {
  // special_tokens: {"[CLS]": {"id": "[CLS]", "ids": [101], "tokens": ["[CLS]"]}}
  std::map<std::string, std::vector<Token>> special_tokens;
  if (const Json* specials = find_member(spec, "special_tokens")) {
    const Field specials_field = field.at("special_tokens");
    if (!specials->is_object()) specials_field.fail("expected an object");
    for (const auto& [name, entry] : specials->items()) {
      const Field entry_field = specials_field.at(name);
      const Json& ids = require_member(entry, entry_field, "ids");
      const Json& texts = require_member(entry, entry_field, "tokens");
      if (!ids.is_array() || !texts.is_array() || ids.size() != texts.size())
        entry_field.fail("expected arrays ids and tokens of the same length");
      std::vector<Token> tokens;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!ids[i].is_number_integer() || ids[i].get<int64_t>() < 0 || ids[i].get<int64_t>() > INT32_MAX)
          entry_field.at("ids").index(i).fail("expected a non-negative id");
        if (!texts[i].is_string()) entry_field.at("tokens").index(i).fail("expected a string");
        tokens.push_back({ids[i].get<int>(), texts[i].get<std::string>()});
      }
      special_tokens[name] = std::move(tokens);
    }
  }
  const Json& single = require_member(spec, field, "single");
  const Field single_field = field.at("single");
  if (!single.is_array()) single_field.fail("expected an array");
  std::vector<Token> before, after;
  bool sequence_seen = false;
  for (std::size_t i = 0; i < single.size(); ++i) {
    const Field item_field = single_field.index(i);
    if (const Json* sequence = find_member(single[i], "Sequence")) {
      if (string_member(*sequence, item_field.at("Sequence"), "id", "A") != "A") item_field.at("Sequence").at("id").fail("a single-sequence template can only hold $A");
      if (sequence_seen) item_field.fail("$A appears twice");
      sequence_seen = true;
    } else if (const Json* special = find_member(single[i], "SpecialToken")) {
      const std::string name = string_member(*special, item_field.at("SpecialToken"), "id");
      const auto found = special_tokens.find(name);
      if (found == special_tokens.end()) item_field.at("SpecialToken").at("id").fail("\"" + name + "\" is not in special_tokens");
      std::vector<Token>& side = sequence_seen ? after : before;
      side.insert(side.end(), found->second.begin(), found->second.end());
    } else {
      item_field.fail("expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
    }
  }
  if (!sequence_seen) single_field.fail("no $A in the template");
  return std::make_unique<SurroundingTokens>(std::move(before), std::move(after));
}

}  // namespace

std::unique_ptr<PostProcessor> make_post_processor(const Json& spec, const Field& field) {
  const std::string type = type_of(spec, field);
  if (type == "TemplateProcessing") return make_template(spec, field);
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    Token cls = read_token_pair(spec, field, "cls"), sep = read_token_pair(spec, field, "sep");
    return std::make_unique<SurroundingTokens>(std::vector<Token>{cls}, std::vector<Token>{sep});
  }
  if (type == "ByteLevel") return std::make_unique<NoPostProcessing>();
  if (type == "Sequence") {
    const Json& list = require_member(spec, field, "processors");
    if (!list.is_array()) field.at("processors").fail("expected an array");
    std::vector<std::unique_ptr<PostProcessor>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) steps.push_back(make_post_processor(list[i], field.at("processors").index(i)));
    return std::make_unique<SequencePostProcessor>(std::move(steps));
  }
  field.at("type").fail("unknown post-processor \"" + type + "\"");
}

}  // namespace crossmt::tokenizer_json
