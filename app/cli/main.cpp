#include "CliCommand.h"

int main(int argc, char** argv) {
  return voxplain::cli::run(argc, argv);
}
