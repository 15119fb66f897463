#include "commands.h"

namespace crossmt::cli {

void add_translate_command(CLI::App& app) { (void)app; }

}  // namespace crossmt::cli
