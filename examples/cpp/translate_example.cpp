// Loads a model, translates two sentences into German and prints the alignment of the first.
// Usage: translate_example MODEL_DIR
#include <crossmt/translator.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " MODEL_DIR\n";
    return 2;
  }
  try {
    const crossmt::Translator translator(argv[1]);
    crossmt::SearchOptions search = translator.default_search_options();
    search.num_beams = 4;
    const auto results = translator.translate_lines({"A man is riding a bike.", "Two dogs play in the snow."}, "de", search);
    for (const crossmt::TranslationResult& result : results) std::cout << result.texts.at(0) << "\n";

    const auto alignment = translator.align_ids({results[0].source_ids}, {results[0].hypotheses.at(0).ids}).at(0);
    std::cout << "alignment: " << alignment.pharaoh << "\n";
    for (const auto& [source, target] : alignment.links)
      std::cout << "  " << alignment.source_tokens[source] << " -> " << alignment.target_tokens[target] << "\n";
  } catch (const crossmt::Error& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}
