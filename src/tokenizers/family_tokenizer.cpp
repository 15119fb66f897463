// Family tokenizers: one class, the families differing in their vocabulary layout (fairseq's id
// offset, language codes after the SentencePiece vocabulary, T5's extra ids), where the special
// tokens go around the text, and how pieces become text again. Each rule below mirrors the
// transformers tokenizer class named beside it.
#include "tokenizers/family_tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <array>
#include <unordered_set>

#include "crossmt/error.h"
#include "crossmt/language.h"
#include "tokenizers/byte_level_bpe.h"
#include "tokenizers/subword_model.h"
#include "tokenizers/tokenizer_files.h"
#include "tokenizers/tokenizer_json.h"

namespace crossmt {
namespace {

namespace fs = std::filesystem;

const std::string kWordStart = "\xE2\x96\x81";  // SentencePiece's "▁"

// transformers' FAIRSEQ_LANGUAGE_CODES of each class: the codes a folder gets when its
// tokenizer_config.json lists none.
const std::vector<std::string> kMBartCodes = {
    "ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "et_EE", "fi_FI", "fr_XX", "gu_IN", "hi_IN", "it_IT", "ja_XX", "kk_KZ",
    "ko_KR", "lt_LT", "lv_LV", "my_MM", "ne_NP", "nl_XX", "ro_RO", "ru_RU", "si_LK", "tr_TR", "vi_VN", "zh_CN"};
const std::vector<std::string> kMBart50ExtraCodes = {"af_ZA", "az_AZ", "bn_IN", "fa_IR", "he_IL", "hr_HR", "id_ID",
                                                     "ka_GE", "km_KH", "mk_MK", "ml_IN", "mn_MN", "mr_IN", "pl_PL",
                                                     "ps_AF", "pt_XX", "sv_SE", "sw_KE", "ta_IN", "te_IN", "th_TH",
                                                     "tl_XX", "uk_UA", "ur_PK", "xh_ZA", "gl_ES", "sl_SI"};
const std::vector<std::string> kM2M100Codes = {
    "af", "am", "ar", "ast", "az", "ba", "be", "bg", "bn", "br", "bs", "ca", "ceb", "cs", "cy", "da", "de", "el", "en", "es",
    "et", "fa", "ff", "fi", "fr", "fy", "ga", "gd", "gl", "gu", "ha", "he", "hi", "hr", "ht", "hu", "hy", "id", "ig", "ilo",
    "is", "it", "ja", "jv", "ka", "kk", "km", "kn", "ko", "lb", "lg", "ln", "lo", "lt", "lv", "mg", "mk", "ml", "mn", "mr",
    "ms", "my", "ne", "nl", "no", "ns", "oc", "or", "pa", "pl", "ps", "pt", "ro", "ru", "sd", "si", "sk", "sl", "so", "sq",
    "sr", "ss", "su", "sv", "sw", "ta", "th", "tl", "tn", "tr", "uk", "ur", "uz", "vi", "wo", "xh", "yi", "yo", "zh", "zu"};
const std::vector<std::string> kM2M100Wmt21Codes = {"en", "ha", "is", "ja", "cs", "ru", "zh", "de"};
const std::vector<std::string> kNllbCodes = {
    "ace_Arab", "ace_Latn", "acm_Arab", "acq_Arab", "aeb_Arab", "afr_Latn", "ajp_Arab", "aka_Latn", "amh_Ethi", "apc_Arab",
    "arb_Arab", "ars_Arab", "ary_Arab", "arz_Arab", "asm_Beng", "ast_Latn", "awa_Deva", "ayr_Latn", "azb_Arab", "azj_Latn",
    "bak_Cyrl", "bam_Latn", "ban_Latn", "bel_Cyrl", "bem_Latn", "ben_Beng", "bho_Deva", "bjn_Arab", "bjn_Latn", "bod_Tibt",
    "bos_Latn", "bug_Latn", "bul_Cyrl", "cat_Latn", "ceb_Latn", "ces_Latn", "cjk_Latn", "ckb_Arab", "crh_Latn", "cym_Latn",
    "dan_Latn", "deu_Latn", "dik_Latn", "dyu_Latn", "dzo_Tibt", "ell_Grek", "eng_Latn", "epo_Latn", "est_Latn", "eus_Latn",
    "ewe_Latn", "fao_Latn", "pes_Arab", "fij_Latn", "fin_Latn", "fon_Latn", "fra_Latn", "fur_Latn", "fuv_Latn", "gla_Latn",
    "gle_Latn", "glg_Latn", "grn_Latn", "guj_Gujr", "hat_Latn", "hau_Latn", "heb_Hebr", "hin_Deva", "hne_Deva", "hrv_Latn",
    "hun_Latn", "hye_Armn", "ibo_Latn", "ilo_Latn", "ind_Latn", "isl_Latn", "ita_Latn", "jav_Latn", "jpn_Jpan", "kab_Latn",
    "kac_Latn", "kam_Latn", "kan_Knda", "kas_Arab", "kas_Deva", "kat_Geor", "knc_Arab", "knc_Latn", "kaz_Cyrl", "kbp_Latn",
    "kea_Latn", "khm_Khmr", "kik_Latn", "kin_Latn", "kir_Cyrl", "kmb_Latn", "kon_Latn", "kor_Hang", "kmr_Latn", "lao_Laoo",
    "lvs_Latn", "lij_Latn", "lim_Latn", "lin_Latn", "lit_Latn", "lmo_Latn", "ltg_Latn", "ltz_Latn", "lua_Latn", "lug_Latn",
    "luo_Latn", "lus_Latn", "mag_Deva", "mai_Deva", "mal_Mlym", "mar_Deva", "min_Latn", "mkd_Cyrl", "plt_Latn", "mlt_Latn",
    "mni_Beng", "khk_Cyrl", "mos_Latn", "mri_Latn", "zsm_Latn", "mya_Mymr", "nld_Latn", "nno_Latn", "nob_Latn", "npi_Deva",
    "nso_Latn", "nus_Latn", "nya_Latn", "oci_Latn", "gaz_Latn", "ory_Orya", "pag_Latn", "pan_Guru", "pap_Latn", "pol_Latn",
    "por_Latn", "prs_Arab", "pbt_Arab", "quy_Latn", "ron_Latn", "run_Latn", "rus_Cyrl", "sag_Latn", "san_Deva", "sat_Beng",
    "scn_Latn", "shn_Mymr", "sin_Sinh", "slk_Latn", "slv_Latn", "smo_Latn", "sna_Latn", "snd_Arab", "som_Latn", "sot_Latn",
    "spa_Latn", "als_Latn", "srd_Latn", "srp_Cyrl", "ssw_Latn", "sun_Latn", "swe_Latn", "swh_Latn", "szl_Latn", "tam_Taml",
    "tat_Cyrl", "tel_Telu", "tgk_Cyrl", "tgl_Latn", "tha_Thai", "tir_Ethi", "taq_Latn", "taq_Tfng", "tpi_Latn", "tsn_Latn",
    "tso_Latn", "tuk_Latn", "tum_Latn", "tur_Latn", "twi_Latn", "tzm_Tfng", "uig_Arab", "ukr_Cyrl", "umb_Latn", "urd_Arab",
    "uzn_Latn", "vec_Latn", "vie_Latn", "war_Latn", "wol_Latn", "xho_Latn", "ydd_Hebr", "yor_Latn", "yue_Hant", "zho_Hans",
    "zho_Hant", "zul_Latn"};
// The languages of T5's translation task prefixes.
const std::vector<std::string> kT5Languages = {"en", "de", "fr", "ro"};

const char* family_name(TokenizerFamily family) {
  switch (family) {
    case TokenizerFamily::T5: return "t5";
    case TokenizerFamily::MBart: return "mbart";
    case TokenizerFamily::MBart50: return "mbart50";
    case TokenizerFamily::M2M100: return "m2m100";
    case TokenizerFamily::Nllb: return "nllb";
    case TokenizerFamily::Bart: return "bart";
    case TokenizerFamily::TokenizerJson: return "tokenizer.json";
  }
  return "?";
}

// A token split out of the text before the subword model sees it (transformers' added tokens).
struct AddedToken {
  std::string content;
  int id = -1;
  bool lstrip = false, rstrip = false;  // eat the whitespace on that side
  bool special = true;                  // dropped by decode(skip_special_tokens=True)
};

class SentencePieceModel final : public SubwordModel {
 public:
  explicit SentencePieceModel(std::unique_ptr<sentencepiece::SentencePieceProcessor> model) : model_(std::move(model)) {}
  std::vector<std::string> pieces(std::string_view text) const override {
    std::vector<std::string> pieces;
    const auto status = model_->Encode(text, &pieces);
    if (!status.ok()) throw Error("SentencePiece could not encode the text: " + single_line(status.ToString()));
    return pieces;
  }
  std::string text(const std::vector<std::string>& pieces) const override {
    std::string text;
    const auto status = model_->Decode(pieces, &text);
    if (!status.ok()) throw Error("SentencePiece could not decode the pieces: " + single_line(status.ToString()));
    return text;
  }
  std::string word_start_marker() const override { return kWordStart; }
  const sentencepiece::SentencePieceProcessor& processor() const { return *model_; }

 private:
  std::unique_ptr<sentencepiece::SentencePieceProcessor> model_;
};

class ByteLevelBpeModel final : public SubwordModel {
 public:
  explicit ByteLevelBpeModel(ByteLevelBpe bpe) : bpe_(std::move(bpe)) {}
  std::vector<std::string> pieces(std::string_view text) const override { return bpe_.tokenize(text); }
  std::string text(const std::vector<std::string>& pieces) const override { return bpe_.detokenize(pieces); }
  std::string word_start_marker() const override { return "\xC4\xA0"; }  // "Ġ"

 private:
  ByteLevelBpe bpe_;
};

std::string strip_whitespace(std::string_view text, bool left, bool right) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  size_t begin = 0, end = text.size();
  if (left)
    while (begin < end && is_space(text[begin])) ++begin;
  if (right)
    while (end > begin && is_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

class FamilyTokenizer final : public Tokenizer {
 public:
  FamilyTokenizer(const fs::path& model_dir, TokenizerFamily family, TokenizerFiles files);

  std::string family() const override { return family_name(family_); }
  std::string files() const override { return files_; }
  std::vector<int> encode(std::string_view text, const LanguageDirection& direction) const override {
    const std::string code = direction.source_code.empty() ? default_source_code_ : direction.source_code;
    return with_special_tokens(body_ids(direction.text_prefix + std::string(text)), code);
  }
  std::vector<std::string> encode_pieces(std::string_view text) const override {
    std::vector<std::string> pieces;
    body_ids(std::string(text), &pieces);
    return pieces;
  }
  std::vector<int> encode_target(std::string_view text, const LanguageDirection& direction) const override {
    const std::string code = direction.target_code.empty() ? default_target_code_ : direction.target_code;
    return with_special_tokens(body_ids(std::string(text)), code);
  }
  std::vector<int> encode_source_pieces(const std::vector<std::string>& pieces) const override {
    std::vector<int> ids;
    for (const auto& piece : pieces) ids.push_back(vocabulary_.id_of(piece).value_or(unk_));
    return with_special_tokens(std::move(ids), default_source_code_);
  }
  std::string decode(const std::vector<int>& ids) const override;
  std::string target_piece(int id) const override { return source_piece(id); }
  std::string source_piece(int id) const override {
    const std::string* piece = vocabulary_.piece_of(id);
    return piece ? *piece : unk_token_;
  }
  int eos_id() const override { return eos_; }
  int pad_id() const override { return pad_; }
  int unk_id() const override { return unk_; }
  int source_bos_id() const override { return family_ == TokenizerFamily::Bart ? bos_ : -1; }
  bool has_sentencepiece() const override { return true; }
  std::string word_start_marker() const override { return model_ ? model_->word_start_marker() : kWordStart; }
  std::optional<int> source_token_id(const std::string& piece) const override { return vocabulary_.id_of(piece); }
  bool is_special_id(int id) const override { return special_ids_.count(id) > 0; }
  std::vector<std::string> languages() const override;
  LanguageDirection direction(std::string_view source_language, std::string_view target_language) const override;
  bool needs_source_language() const override { return !languages().empty(); }
  std::vector<std::string> language_tokens() const override { return language_codes_; }

 private:
  void load_sentencepiece_family(const fs::path& model_dir, const nlohmann::ordered_json& config);
  void load_bart(const fs::path& model_dir, const nlohmann::ordered_json& config);
  void load_tokenizer_json(const fs::path& file);
  void read_added_tokens(const nlohmann::ordered_json& config, const std::string& origin);
  void add_token(const std::string& content, int id, bool lstrip = false, bool rstrip = false);
  int required_id(const std::string& token, const std::string& origin) const;
  // Ids of a text without the family's special tokens; `pieces` (when given) gets the pieces as
  // tokenize() returns them: an unknown piece keeps its own spelling.
  std::vector<int> body_ids(const std::string& text, std::vector<std::string>* pieces = nullptr) const;
  void append_chunk_ids(std::string_view chunk, std::vector<int>& ids, std::vector<std::string>* pieces) const;
  std::vector<int> with_special_tokens(std::vector<int> ids, const std::string& language_code) const;
  std::string user_code(std::string_view language, std::string_view role) const;

  TokenizerFamily family_;
  std::string files_;
  std::string vocabulary_origin_;  // the file that must hold the special tokens, for errors
  std::unique_ptr<SubwordModel> model_;             // slow files
  std::unique_ptr<SentencePieceModel> no_prefix_;   // T5 non-legacy: SentencePiece without the dummy prefix
  std::optional<TokenizerJson> fast_;               // tokenizer.json
  Vocabulary vocabulary_;
  std::vector<AddedToken> added_;                   // longest first
  std::unordered_set<int> special_ids_;
  std::vector<std::string> language_codes_;
  std::string default_source_code_, default_target_code_;
  std::string unk_token_ = "<unk>";
  int bos_ = -1, eos_ = -1, pad_ = -1, unk_ = -1;
  bool legacy_ = true;                 // T5Tokenizer(legacy=...), NllbTokenizer(legacy_behaviour=...)
  bool clean_up_tokenization_spaces_ = true;
  size_t unk_piece_count_ = 0;         // T5 non-legacy: pieces of "<unk>" to drop again
};

FamilyTokenizer::FamilyTokenizer(const fs::path& model_dir, TokenizerFamily family, TokenizerFiles files)
    : family_(family) {
  const fs::path config_path = model_dir / "tokenizer_config.json";
  nlohmann::ordered_json config = nlohmann::ordered_json::object();
  if (fs::exists(config_path)) {
    config = parse_json_file(config_path);
    if (!config.is_object()) throw Error(config_path.string() + ": expected a JSON object");
  }
  if (auto unk = special_token_setting(config, "unk_token")) unk_token_ = *unk;
  if (const auto found = config.find("clean_up_tokenization_spaces"); found != config.end() && found->is_boolean())
    clean_up_tokenization_spaces_ = found->get<bool>();
  for (const char* key : {"legacy", "legacy_behaviour"})
    if (const auto found = config.find(key); found != config.end() && found->is_boolean()) legacy_ = found->get<bool>();
  if (family == TokenizerFamily::Nllb && !config.contains("legacy_behaviour")) legacy_ = false;

  const bool has_json = fs::exists(model_dir / "tokenizer.json");
  const bool use_fast = family == TokenizerFamily::TokenizerJson || files == TokenizerFiles::Fast;
  if (use_fast) {
    if (!has_json) throw Error((model_dir / "tokenizer.json").string() + ": no such file");
    load_tokenizer_json(model_dir / "tokenizer.json");
  } else if (family == TokenizerFamily::Bart) {
    load_bart(model_dir, config);
  } else {
    load_sentencepiece_family(model_dir, config);
  }
  read_added_tokens(config, config_path.string());
  std::stable_sort(added_.begin(), added_.end(),
                   [](const AddedToken& a, const AddedToken& b) { return a.content.size() > b.content.size(); });

  const std::string& origin = vocabulary_origin_;
  eos_ = required_id(special_token_setting(config, "eos_token").value_or("</s>"), origin);
  unk_ = required_id(unk_token_, origin);
  pad_ = required_id(special_token_setting(config, "pad_token").value_or("<pad>"), origin);
  if (family != TokenizerFamily::T5) bos_ = required_id(special_token_setting(config, "bos_token").value_or("<s>"), origin);
  for (int id : {bos_, eos_, pad_, unk_})
    if (id >= 0) special_ids_.insert(id);
  for (const AddedToken& token : added_)
    if (token.special) special_ids_.insert(token.id);

  if (!language_codes_.empty()) {
    for (const std::string& code : language_codes_) special_ids_.insert(required_id(code, origin));
    const auto code_setting = [&](const char* key, const std::string& fallback) {
      const auto found = config.find(key);
      std::string code = found != config.end() && found->is_string() ? found->get<std::string>() : fallback;
      if (family_ == TokenizerFamily::M2M100 && !code.empty() && !code.starts_with("__")) code = "__" + code + "__";
      return code;
    };
    const std::string first_default = family_ == TokenizerFamily::Nllb     ? "eng_Latn"
                                      : family_ == TokenizerFamily::M2M100 ? "__en__"
                                                                          : "en_XX";
    default_source_code_ = code_setting("src_lang", first_default);
    default_target_code_ = code_setting("tgt_lang", default_source_code_);
    for (const std::string* code : {&default_source_code_, &default_target_code_})
      if (std::find(language_codes_.begin(), language_codes_.end(), *code) == language_codes_.end())
        throw Error(config_path.string() + ": src_lang/tgt_lang: \"" + *code + "\" is not one of the model's language codes");
  }
}

int FamilyTokenizer::required_id(const std::string& token, const std::string& origin) const {
  const auto id = fast_ ? fast_->token_to_id(token) : vocabulary_.id_of(token);
  if (!id) throw Error(origin + ": no entry for the special token \"" + token + "\"");
  return *id;
}

void FamilyTokenizer::add_token(const std::string& content, int id, bool lstrip, bool rstrip) {
  vocabulary_.assign(content, id);
  for (AddedToken& token : added_)
    if (token.content == content) {
      token = {content, id, lstrip, rstrip, true};
      return;
    }
  added_.push_back({content, id, lstrip, rstrip, true});
}

void FamilyTokenizer::load_sentencepiece_family(const fs::path& model_dir, const nlohmann::ordered_json& config) {
  const bool is_t5 = family_ == TokenizerFamily::T5;
  const fs::path model_path = model_dir / (is_t5 ? "spiece.model" : "sentencepiece.bpe.model");
  const std::string bytes = read_whole_file(model_path);
  auto model = std::make_unique<SentencePieceModel>(parse_sentencepiece(bytes, model_path.string()));
  const sentencepiece::SentencePieceProcessor& processor = model->processor();
  const int size = processor.GetPieceSize();
  files_ = model_path.filename().string();
  vocabulary_origin_ = model_path.string();

  // The codes a folder names (additional_special_tokens), else the class's own list.
  std::vector<std::string> listed;
  if (const auto found = config.find("additional_special_tokens"); found != config.end() && found->is_array()) {
    for (const auto& token : *found) {
      if (token.is_string()) listed.push_back(token.get<std::string>());
      else if (token.is_object() && token.contains("content") && token["content"].is_string())
        listed.push_back(token["content"].get<std::string>());
    }
  }

  if (is_t5) {  // T5Tokenizer: SentencePiece ids as they are, <extra_id_N> counting down from the top
    for (int id = 0; id < size; ++id) vocabulary_.assign(processor.IdToPiece(id), id);
    int extra_ids = 100;
    if (const auto found = config.find("extra_ids"); found != config.end() && found->is_number_integer())
      extra_ids = std::clamp(found->get<int>(), 0, 1 << 16);
    if (extra_ids == 0 && !listed.empty())
      extra_ids = static_cast<int>(std::count_if(listed.begin(), listed.end(),
                                                 [](const std::string& t) { return t.starts_with("<extra_id_"); }));
    for (int i = 0; i < extra_ids; ++i)
      add_token("<extra_id_" + std::to_string(i) + ">", size - 1 + extra_ids - i, /*lstrip=*/true, /*rstrip=*/true);
    for (const char* token : {"</s>", "<unk>", "<pad>"})
      if (auto id = vocabulary_.id_of(token)) add_token(token, *id);
    if (!legacy_) {
      no_prefix_ = std::make_unique<SentencePieceModel>(
          parse_sentencepiece(without_dummy_prefix(bytes, model_path.string()), model_path.string()));
      unk_piece_count_ = no_prefix_->pieces(unk_token_).size();
    }
    model_ = std::move(model);
    return;
  }

  int next_id = 0;
  if (family_ == TokenizerFamily::M2M100) {  // M2M100Tokenizer: pieces through vocab.json, codes after it
    vocabulary_ = load_vocabulary(model_dir / "vocab.json", nullptr);
    files_ += ", vocab.json";
    vocabulary_origin_ = (model_dir / "vocab.json").string();
    next_id = static_cast<int>(vocabulary_.ids_by_piece.size());
    for (const char* token : {"<s>", "</s>", "<pad>", "<unk>"})
      if (auto id = vocabulary_.id_of(token)) add_token(token, *id);
    const auto found = config.find("language_codes");
    const bool wmt21 = found != config.end() && found->is_string() && found->get<std::string>() == "wmt21";
    for (const std::string& code : wmt21 ? kM2M100Wmt21Codes : kM2M100Codes) {
      language_codes_.push_back("__" + code + "__");
      add_token(language_codes_.back(), next_id++);
    }
  } else {  // MBartTokenizer, MBart50Tokenizer, NllbTokenizer: fairseq's layout, SentencePiece ids + 1
    constexpr int kFairseqOffset = 1;
    for (int id = 1; id < size; ++id) vocabulary_.assign(processor.IdToPiece(id), id + kFairseqOffset);
    const std::array<const char*, 4> fairseq_specials{"<s>", "<pad>", "</s>", "<unk>"};
    for (int id = 0; id < 4; ++id) add_token(fairseq_specials[id], id);
    next_id = size + kFairseqOffset;
    std::vector<std::string> codes = family_ == TokenizerFamily::Nllb ? kNllbCodes : kMBartCodes;
    if (family_ == TokenizerFamily::MBart50) codes.insert(codes.end(), kMBart50ExtraCodes.begin(), kMBart50ExtraCodes.end());
    if (family_ == TokenizerFamily::Nllb && !listed.empty()) codes = listed;
    for (const std::string& code : codes) {
      language_codes_.push_back(code);
      add_token(code, next_id++);
    }
    add_token("<mask>", next_id++, /*lstrip=*/true);
  }
  model_ = std::move(model);
}

void FamilyTokenizer::load_bart(const fs::path& model_dir, const nlohmann::ordered_json& config) {
  bool add_prefix_space = false;
  if (const auto found = config.find("add_prefix_space"); found != config.end() && found->is_boolean())
    add_prefix_space = found->get<bool>();
  auto bpe = ByteLevelBpe::load(model_dir / "vocab.json", model_dir / "merges.txt", add_prefix_space);
  vocabulary_ = load_vocabulary(model_dir / "vocab.json", nullptr);
  files_ = "vocab.json, merges.txt";
  vocabulary_origin_ = (model_dir / "vocab.json").string();
  for (const char* token : {"<s>", "</s>", "<pad>", "<unk>"})
    if (auto id = vocabulary_.id_of(token)) add_token(token, *id);
  if (auto id = vocabulary_.id_of("<mask>")) add_token("<mask>", *id, /*lstrip=*/true);
  model_ = std::make_unique<ByteLevelBpeModel>(std::move(bpe));
}

void FamilyTokenizer::load_tokenizer_json(const fs::path& file) {
  fast_ = TokenizerJson::load(file);
  files_ = "tokenizer.json";
  vocabulary_origin_ = file.string();
  for (size_t id = 0; id < fast_->vocab_size(); ++id)
    if (auto token = fast_->id_to_token(static_cast<int>(id))) vocabulary_.assign(*token, static_cast<int>(id));
  std::vector<std::string> codes;
  switch (family_) {
    case TokenizerFamily::MBart: codes = kMBartCodes; break;
    case TokenizerFamily::MBart50:
      codes = kMBartCodes;
      codes.insert(codes.end(), kMBart50ExtraCodes.begin(), kMBart50ExtraCodes.end());
      break;
    case TokenizerFamily::Nllb: codes = kNllbCodes; break;
    case TokenizerFamily::M2M100:
      for (const std::string& code : kM2M100Codes) codes.push_back("__" + code + "__");
      break;
    default: break;
  }
  for (const std::string& code : codes)
    if (fast_->token_to_id(code)) language_codes_.push_back(code);
  if (!codes.empty() && language_codes_.empty())
    throw Error(file.string() + ": added_tokens: none of the " + family_name(family_) + " language codes (" +
                codes.front() + ", ...)");
  for (size_t id = 0; id < fast_->vocab_size(); ++id)
    if (fast_->is_special(static_cast<int>(id))) special_ids_.insert(static_cast<int>(id));
}

// tokenizer_config.json's added_tokens_decoder (transformers >= 4.34) says every added token's id
// and flags, overriding the class's defaults.
void FamilyTokenizer::read_added_tokens(const nlohmann::ordered_json& config, const std::string& origin) {
  const auto found = config.find("added_tokens_decoder");
  if (found == config.end() || fast_) return;
  if (!found->is_object()) throw Error(origin + ": added_tokens_decoder: expected an object");
  for (const auto& item : found->items()) {
    const std::string& key = item.key();
    const nlohmann::ordered_json& token = item.value();
    int id = -1;
    try {
      size_t used = 0;
      id = std::stoi(key, &used);
      if (used != key.size() || id < 0 || id >= (1 << 24)) id = -1;
    } catch (const std::exception&) {
    }
    if (id < 0 || !token.is_object() || !token.contains("content") || !token["content"].is_string())
      throw Error(origin + ": added_tokens_decoder." + key + ": expected an id and {\"content\": ...}");
    const auto flag = [&](const char* name) { return token.contains(name) && token[name].is_boolean() && token[name].get<bool>(); };
    add_token(token["content"].get<std::string>(), id, flag("lstrip"), flag("rstrip"));
    for (AddedToken& added : added_)
      if (added.content == token["content"].get<std::string>()) added.special = !token.contains("special") || flag("special");
  }
}

// transformers' PreTrainedTokenizer.tokenize: added tokens split out first (longest match at the
// earliest position), lstrip/rstrip eating the neighbours' whitespace, the chunks between them
// tokenized on their own.
std::vector<int> FamilyTokenizer::body_ids(const std::string& text, std::vector<std::string>* pieces) const {
  if (const auto bad_byte = find_invalid_utf8(text))
    throw Error("invalid UTF-8 in the text to encode (byte " + std::to_string(*bad_byte) + ")");
  if (fast_) {
    auto encoding = fast_->encode(text, /*add_special_tokens=*/false);
    if (pieces) *pieces = std::move(encoding.tokens);
    return encoding.ids;
  }

  std::string prepared = text;
  const bool t5_non_legacy = family_ == TokenizerFamily::T5 && !legacy_ && !text.empty();
  if (t5_non_legacy) {  // T5Tokenizer.tokenize (legacy=False): "▁" read as a space, one prefix space added
    std::string replaced;
    for (size_t i = 0; i < prepared.size();)
      if (prepared.compare(i, kWordStart.size(), kWordStart) == 0) {
        replaced += ' ';
        i += kWordStart.size();
      } else {
        replaced += prepared[i++];
      }
    prepared = kWordStart + replaced;
  }

  struct Chunk {
    std::string text;
    const AddedToken* token = nullptr;
  };
  std::vector<Chunk> chunks;
  size_t chunk_start = 0;
  for (size_t position = 0; position < prepared.size();) {
    const AddedToken* matched = nullptr;
    for (const AddedToken& token : added_)  // longest first
      if (prepared.compare(position, token.content.size(), token.content) == 0) {
        matched = &token;
        break;
      }
    if (!matched) {
      ++position;
      continue;
    }
    chunks.push_back({prepared.substr(chunk_start, position - chunk_start), nullptr});
    chunks.push_back({matched->content, matched});
    position += matched->content.size();
    chunk_start = position;
  }
  chunks.push_back({prepared.substr(chunk_start), nullptr});
  for (size_t i = 0; i < chunks.size(); ++i) {
    const AddedToken* token = chunks[i].token;
    if (!token) continue;
    if (token->rstrip && i + 1 < chunks.size() && !chunks[i + 1].token)
      chunks[i + 1].text = strip_whitespace(chunks[i + 1].text, true, false);
    if (token->lstrip && i > 0 && !chunks[i - 1].token) chunks[i - 1].text = strip_whitespace(chunks[i - 1].text, false, true);
  }

  std::vector<int> ids;
  for (const Chunk& chunk : chunks) {
    if (chunk.token) {
      ids.push_back(chunk.token->id);
      if (pieces) pieces->push_back(chunk.token->content);
    } else if (!chunk.text.empty()) {
      append_chunk_ids(chunk.text, ids, pieces);
    }
  }
  // T5 (legacy=False): a lone prefix "▁" before a special token is dropped.
  if (t5_non_legacy && ids.size() > 1 && source_piece(ids[0]) == kWordStart && special_ids_.count(ids[1])) {
    ids.erase(ids.begin());
    if (pieces) pieces->erase(pieces->begin());
  }
  return ids;
}

void FamilyTokenizer::append_chunk_ids(std::string_view chunk, std::vector<int>& ids,
                                       std::vector<std::string>* chunk_pieces) const {
  std::vector<std::string> pieces;
  if (no_prefix_) {
    // T5Tokenizer._tokenize (legacy=False): text that starts with a space is encoded behind
    // "<unk>", whose pieces are dropped, so that the space stays a word start.
    if (chunk.starts_with(" ") || chunk.starts_with(kWordStart)) {
      pieces = no_prefix_->pieces(unk_token_ + std::string(chunk));
      pieces.erase(pieces.begin(), pieces.begin() + static_cast<long>(std::min(unk_piece_count_, pieces.size())));
    } else {
      pieces = no_prefix_->pieces(chunk);
    }
  } else {
    pieces = model_->pieces(chunk);
  }
  for (const std::string& piece : pieces) ids.push_back(vocabulary_.id_of(piece).value_or(unk_));
  if (chunk_pieces) chunk_pieces->insert(chunk_pieces->end(), pieces.begin(), pieces.end());
}

std::vector<int> FamilyTokenizer::with_special_tokens(std::vector<int> ids, const std::string& language_code) const {
  const auto found = vocabulary_.id_of(language_code);
  const bool uses_code = family_ == TokenizerFamily::MBart || family_ == TokenizerFamily::MBart50 ||
                         family_ == TokenizerFamily::M2M100 || family_ == TokenizerFamily::Nllb;
  if (uses_code && !found) throw Error("\"" + language_code + "\" is not one of the model's language codes");
  const int code = found.value_or(-1);
  switch (family_) {
    case TokenizerFamily::T5:  // T5Tokenizer._add_eos_if_not_present
      if (ids.empty() || ids.back() != eos_) ids.push_back(eos_);
      return ids;
    case TokenizerFamily::Bart:
      ids.insert(ids.begin(), bos_);
      ids.push_back(eos_);
      return ids;
    case TokenizerFamily::MBart:  // X </s> src_lang_code
      ids.push_back(eos_);
      ids.push_back(code);
      return ids;
    case TokenizerFamily::Nllb:
      if (legacy_) {  // legacy_behaviour=True: X </s> src_lang_code
        ids.push_back(eos_);
        ids.push_back(code);
        return ids;
      }
      [[fallthrough]];
    case TokenizerFamily::MBart50:  // src_lang_code X </s>
    case TokenizerFamily::M2M100:
      ids.insert(ids.begin(), code);
      ids.push_back(eos_);
      return ids;
    case TokenizerFamily::TokenizerJson: break;
  }
  return ids;
}

std::string FamilyTokenizer::decode(const std::vector<int>& ids) const {
  std::vector<int> kept;
  for (int id : ids)
    if (!special_ids_.count(id)) kept.push_back(id);
  std::string text;
  if (fast_) {
    text = fast_->decode(kept, /*skip_special_tokens=*/true);
  } else {
    std::vector<std::string> pieces;
    for (int id : kept) pieces.push_back(source_piece(id));
    if (family_ == TokenizerFamily::MBart || family_ == TokenizerFamily::MBart50 || family_ == TokenizerFamily::Nllb) {
      // convert_tokens_to_string of these classes: pieces joined, "▁" read as a space, stripped.
      std::string joined;
      for (const std::string& piece : pieces) joined += piece;
      for (size_t i = 0; i < joined.size();)
        if (joined.compare(i, kWordStart.size(), kWordStart) == 0) {
          text += ' ';
          i += kWordStart.size();
        } else {
          text += joined[i++];
        }
      text = strip_whitespace(text, true, true);
    } else {
      text = model_->text(pieces);
    }
  }
  return clean_up_tokenization_spaces_ ? clean_up_tokenization(text) : text;
}

std::vector<std::string> FamilyTokenizer::languages() const {
  if (family_ == TokenizerFamily::T5) return kT5Languages;
  std::vector<std::string> codes;
  for (const std::string& code : language_codes_)
    codes.push_back(family_ == TokenizerFamily::M2M100 ? code.substr(2, code.size() - 4) : code);
  return codes;
}

std::string FamilyTokenizer::user_code(std::string_view language, std::string_view role) const {
  if (family_ == TokenizerFamily::M2M100 && !language.starts_with("__")) {
    const std::string code = model_language_code(language, languages(), role);
    return "__" + code + "__";
  }
  return model_language_code(language, family_ == TokenizerFamily::M2M100 ? language_codes_ : languages(), role);
}

LanguageDirection FamilyTokenizer::direction(std::string_view source_language, std::string_view target_language) const {
  LanguageDirection direction;
  if (source_language.empty() && target_language.empty()) return direction;
  if (languages().empty())
    throw Error(std::string("this ") + family_name(family_) +
                " model has no language codes: it translates one fixed direction; leave out --from and --to");
  if (target_language.empty()) throw Error("name the target language (--to); this model's codes: " + [&] {
    std::string listed;
    for (const auto& code : languages()) listed += (listed.empty() ? "" : ", ") + code;
    return listed;
  }());
  if (family_ == TokenizerFamily::T5) {
    if (source_language.empty()) throw Error("T5 needs the source language too (--from en)");
    const std::string from = model_language_code(source_language, kT5Languages, "source");
    const std::string to = model_language_code(target_language, kT5Languages, "target");
    direction.source_code = from;
    direction.target_code = to;
    direction.text_prefix = "translate " + *english_language_name(from) + " to " + *english_language_name(to) + ": ";
    return direction;
  }
  direction.target_code = user_code(target_language, "target");
  direction.source_code = source_language.empty() ? default_source_code_ : user_code(source_language, "source");
  const int target_id = *vocabulary_.id_of(direction.target_code);
  if (family_ == TokenizerFamily::MBart) direction.decoder_start_token_id = target_id;
  else direction.forced_bos_token_id = target_id;
  return direction;
}

}  // namespace

std::optional<TokenizerFamily> family_of_tokenizer_class(std::string_view tokenizer_class) {
  std::string_view name = tokenizer_class;
  if (name.ends_with("Fast")) name.remove_suffix(4);
  if (name == "T5Tokenizer") return TokenizerFamily::T5;
  if (name == "MBartTokenizer") return TokenizerFamily::MBart;
  if (name == "MBart50Tokenizer") return TokenizerFamily::MBart50;
  if (name == "M2M100Tokenizer") return TokenizerFamily::M2M100;
  if (name == "NllbTokenizer") return TokenizerFamily::Nllb;
  if (name == "BartTokenizer" || name == "RobertaTokenizer" || name == "GPT2Tokenizer") return TokenizerFamily::Bart;
  if (name == "PreTrainedTokenizer") return TokenizerFamily::TokenizerJson;
  return std::nullopt;
}

std::unique_ptr<Tokenizer> load_family_tokenizer(const fs::path& model_dir, TokenizerFamily family,
                                                 TokenizerFiles files) {
  return std::make_unique<FamilyTokenizer>(model_dir, family, files);
}

}  // namespace crossmt
