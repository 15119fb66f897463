// libFuzzer target: parse_model_config on arbitrary JSON. A document [config, generation_config]
// feeds both arguments; any other document is config.json with no generation_config.json.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "crossmt/config.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using nlohmann::json;
  const json document = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  const bool pair = document.is_array() && document.size() == 2;
  try {
    const crossmt::ModelConfig config =
        pair ? crossmt::parse_model_config(document[0], document[1], "config.json", "generation_config.json")
             : crossmt::parse_model_config(document, json(), "config.json");
    crossmt::fuzz::require(config.d_model > 0, "positive d_model");
    crossmt::fuzz::require(config.encoder_attention_heads > 0 && config.decoder_attention_heads > 0,
                           "positive head counts");
    crossmt::fuzz::require(config.vocab_size > 0, "positive vocab_size");
  } catch (const crossmt::Error& error) {
    crossmt::fuzz::check_error_message(error);
  }
  return 0;
}
