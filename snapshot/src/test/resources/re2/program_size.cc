// Prints RE2's program size for each pattern read from standard input (one per line, hex-encoded UTF-8),
// or ERR when RE2 refuses it: what Envoy measures (source/common/common/regex.cc) with RE2's default options.
#include <re2/re2.h>

#include <iostream>
#include <string>

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string pattern;
    for (size_t i = 0; i + 1 < line.size(); i += 2) {
      pattern.push_back(static_cast<char>(std::stoi(line.substr(i, 2), nullptr, 16)));
    }
    RE2 re(pattern, RE2::Quiet);
    if (re.ok()) {
      std::cout << re.ProgramSize() << "\n";
    } else {
      std::cout << "ERR\n";
    }
  }
  return 0;
}
