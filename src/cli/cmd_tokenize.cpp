#include "commands.h"

namespace crossmt::cli {

void add_tokenize_command(CLI::App& app) { (void)app; }

}  // namespace crossmt::cli
