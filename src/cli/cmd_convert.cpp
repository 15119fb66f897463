#include "commands.h"

namespace crossmt::cli {

void add_convert_command(CLI::App& app) { (void)app; }

}  // namespace crossmt::cli
