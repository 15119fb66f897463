#include "commands.h"

namespace crossmt::cli {

void add_inspect_command(CLI::App& app) { (void)app; }

}  // namespace crossmt::cli
