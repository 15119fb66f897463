// ISO 639 code table and the lookup of a model's `>>xxx<<` target token.
#include "crossmt/language.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "crossmt/error.h"

namespace crossmt {
namespace {

// Every ISO 639-1 code with its ISO 639-3 code (the macrolanguage code where 639-3 has one, as
// OPUS-MT tokens such as >>zho<<, >>ara<<, >>msa<< use).
constexpr std::array<std::pair<std::string_view, std::string_view>, 183> kIso639Pairs{{
    {"aa", "aar"}, {"ab", "abk"}, {"ae", "ave"}, {"af", "afr"}, {"ak", "aka"}, {"am", "amh"}, {"an", "arg"}, {"ar", "ara"},
    {"as", "asm"}, {"av", "ava"}, {"ay", "aym"}, {"az", "aze"}, {"ba", "bak"}, {"be", "bel"}, {"bg", "bul"},
    {"bi", "bis"}, {"bm", "bam"}, {"bn", "ben"}, {"bo", "bod"}, {"br", "bre"}, {"bs", "bos"}, {"ca", "cat"},
    {"ce", "che"}, {"ch", "cha"}, {"co", "cos"}, {"cr", "cre"}, {"cs", "ces"}, {"cu", "chu"}, {"cv", "chv"},
    {"cy", "cym"}, {"da", "dan"}, {"de", "deu"}, {"dv", "div"}, {"dz", "dzo"}, {"ee", "ewe"}, {"el", "ell"},
    {"en", "eng"}, {"eo", "epo"}, {"es", "spa"}, {"et", "est"}, {"eu", "eus"}, {"fa", "fas"}, {"ff", "ful"},
    {"fi", "fin"}, {"fj", "fij"}, {"fo", "fao"}, {"fr", "fra"}, {"fy", "fry"}, {"ga", "gle"}, {"gd", "gla"},
    {"gl", "glg"}, {"gn", "grn"}, {"gu", "guj"}, {"gv", "glv"}, {"ha", "hau"}, {"he", "heb"}, {"hi", "hin"},
    {"ho", "hmo"}, {"hr", "hrv"}, {"ht", "hat"}, {"hu", "hun"}, {"hy", "hye"}, {"hz", "her"}, {"ia", "ina"},
    {"id", "ind"}, {"ie", "ile"}, {"ig", "ibo"}, {"ii", "iii"}, {"ik", "ipk"}, {"io", "ido"}, {"is", "isl"},
    {"it", "ita"}, {"iu", "iku"}, {"ja", "jpn"}, {"jv", "jav"}, {"ka", "kat"}, {"kg", "kon"}, {"ki", "kik"},
    {"kj", "kua"}, {"kk", "kaz"}, {"kl", "kal"}, {"km", "khm"}, {"kn", "kan"}, {"ko", "kor"}, {"kr", "kau"},
    {"ks", "kas"}, {"ku", "kur"}, {"kv", "kom"}, {"kw", "cor"}, {"ky", "kir"}, {"la", "lat"}, {"lb", "ltz"},
    {"lg", "lug"}, {"li", "lim"}, {"ln", "lin"}, {"lo", "lao"}, {"lt", "lit"}, {"lu", "lub"}, {"lv", "lav"},
    {"mg", "mlg"}, {"mh", "mah"}, {"mi", "mri"}, {"mk", "mkd"}, {"ml", "mal"}, {"mn", "mon"}, {"mr", "mar"},
    {"ms", "msa"}, {"mt", "mlt"}, {"my", "mya"}, {"na", "nau"}, {"nb", "nob"}, {"nd", "nde"}, {"ne", "nep"},
    {"ng", "ndo"}, {"nl", "nld"}, {"nn", "nno"}, {"no", "nor"}, {"nr", "nbl"}, {"nv", "nav"}, {"ny", "nya"},
    {"oc", "oci"}, {"oj", "oji"}, {"om", "orm"}, {"or", "ori"}, {"os", "oss"}, {"pa", "pan"}, {"pi", "pli"},
    {"pl", "pol"}, {"ps", "pus"}, {"pt", "por"}, {"qu", "que"}, {"rm", "roh"}, {"rn", "run"}, {"ro", "ron"},
    {"ru", "rus"}, {"rw", "kin"}, {"sa", "san"}, {"sc", "srd"}, {"sd", "snd"}, {"se", "sme"}, {"sg", "sag"},
    {"si", "sin"}, {"sk", "slk"}, {"sl", "slv"}, {"sm", "smo"}, {"sn", "sna"}, {"so", "som"}, {"sq", "sqi"},
    {"sr", "srp"}, {"ss", "ssw"}, {"st", "sot"}, {"su", "sun"}, {"sv", "swe"}, {"sw", "swa"}, {"ta", "tam"},
    {"te", "tel"}, {"tg", "tgk"}, {"th", "tha"}, {"ti", "tir"}, {"tk", "tuk"}, {"tl", "tgl"}, {"tn", "tsn"},
    {"to", "ton"}, {"tr", "tur"}, {"ts", "tso"}, {"tt", "tat"}, {"tw", "twi"}, {"ty", "tah"}, {"ug", "uig"},
    {"uk", "ukr"}, {"ur", "urd"}, {"uz", "uzb"}, {"ve", "ven"}, {"vi", "vie"}, {"vo", "vol"}, {"wa", "wln"},
    {"wo", "wol"}, {"xh", "xho"}, {"yi", "yid"}, {"yo", "yor"}, {"za", "zha"}, {"zh", "zho"}, {"zu", "zul"},
}};

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  for (char& character : lowered) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  return lowered;
}

std::string_view without_token_brackets(std::string_view code) {
  if (code.size() > 4 && code.starts_with(">>") && code.ends_with("<<")) return code.substr(2, code.size() - 4);
  return code;
}

}  // namespace

std::optional<std::string> iso639_3_from_iso639_1(std::string_view two_letter_code) {
  const std::string key = lowercase(two_letter_code);
  for (const auto& [two, three] : kIso639Pairs)
    if (two == key) return std::string(three);
  return std::nullopt;
}

std::optional<std::string> iso639_1_from_iso639_3(std::string_view three_letter_code) {
  const std::string key = lowercase(three_letter_code);
  for (const auto& [two, three] : kIso639Pairs)
    if (three == key) return std::string(two);
  return std::nullopt;
}

std::string language_token_for(std::string_view language, const std::vector<std::string>& model_tokens) {
  const std::string_view code = without_token_brackets(language);
  std::vector<std::string> candidates{">>" + std::string(code) + "<<"};
  if (auto twin = code.size() == 2 ? iso639_3_from_iso639_1(code) : iso639_1_from_iso639_3(code))
    candidates.push_back(">>" + *twin + "<<");
  for (const auto& candidate : candidates)
    if (std::find(model_tokens.begin(), model_tokens.end(), candidate) != model_tokens.end()) return candidate;

  std::string known;
  for (const auto& token : model_tokens) {
    if (!known.empty()) known += ", ";
    known += without_token_brackets(token);
  }
  if (known.empty()) throw Error("unknown target language \"" + std::string(language) + "\": this model has no language tokens");
  throw Error("unknown target language \"" + std::string(language) + "\"; this model's codes: " + known);
}

std::string language_of_code(std::string_view code) {
  std::string_view part = without_token_brackets(code);
  if (part.size() > 4 && part.starts_with("__") && part.ends_with("__")) part = part.substr(2, part.size() - 4);
  if (const std::size_t underscore = part.find('_'); underscore != std::string_view::npos && underscore > 0)
    part = part.substr(0, underscore);
  return lowercase(part);
}

std::string model_language_code(std::string_view language, const std::vector<std::string>& codes,
                                std::string_view role) {
  if (std::find(codes.begin(), codes.end(), language) != codes.end()) return std::string(language);
  const std::string wanted = language_of_code(language);
  std::vector<std::string> names{wanted};
  if (auto twin = wanted.size() == 2 ? iso639_3_from_iso639_1(wanted) : iso639_1_from_iso639_3(wanted))
    names.push_back(*twin);
  std::vector<std::string> matches;
  for (const std::string& code : codes)
    if (std::find(names.begin(), names.end(), language_of_code(code)) != names.end()) matches.push_back(code);
  if (matches.size() == 1) return matches.front();
  const auto listed = [](const std::vector<std::string>& list) {
    std::string text;
    for (const std::string& code : list) text += (text.empty() ? "" : ", ") + code;
    return text;
  };
  if (matches.size() > 1)
    throw Error("ambiguous " + std::string(role) + " language \"" + std::string(language) + "\": choose one of " +
                listed(matches));
  if (codes.empty())
    throw Error("unknown " + std::string(role) + " language \"" + std::string(language) + "\": this model has no language codes");
  throw Error("unknown " + std::string(role) + " language \"" + std::string(language) + "\"; this model's codes: " +
              listed(codes));
}

std::optional<std::string> english_language_name(std::string_view code) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 23> kNames{{
      {"ar", "Arabic"},  {"cs", "Czech"},      {"da", "Danish"},   {"de", "German"},   {"el", "Greek"},
      {"en", "English"}, {"es", "Spanish"},    {"fi", "Finnish"},  {"fr", "French"},   {"hi", "Hindi"},
      {"hu", "Hungarian"}, {"it", "Italian"},  {"ja", "Japanese"}, {"ko", "Korean"},   {"nl", "Dutch"},
      {"pl", "Polish"},  {"pt", "Portuguese"}, {"ro", "Romanian"}, {"ru", "Russian"},  {"sv", "Swedish"},
      {"tr", "Turkish"}, {"uk", "Ukrainian"},  {"zh", "Chinese"}}};
  std::string key = lowercase(code);
  if (key.size() == 3)
    if (auto two_letter = iso639_1_from_iso639_3(key)) key = *two_letter;
  for (const auto& [two, name] : kNames)
    if (two == key) return std::string(name);
  return std::nullopt;
}

std::size_t leading_language_token_length(std::string_view text) {
  if (!text.starts_with(">>")) return 0;
  const std::size_t close = text.find("<<", 3);  // `.+` needs at least one character
  if (close == std::string_view::npos) return 0;
  if (text.substr(2, close - 2).find('\n') != std::string_view::npos) return 0;  // `.` stops at newlines
  return close + 2;
}

bool starts_with_language_token(std::string_view text) { return leading_language_token_length(text) > 0; }

}  // namespace crossmt
