#pragma once
#include <catch2/catch.hpp>

#include <cstring>
// Helpers for the checkpoint tests: a private temp folder per test, copies of the tiny models,
// and byte-level surgery on real safetensors files.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "crossmt/checkpoint.h"

namespace crossmt::test {

namespace fs = std::filesystem;

inline const fs::path kTinyArchsDir = fs::path(CROSSMT_TEST_DATA_DIR) / "tiny-archs";
inline const fs::path kDefaultModelDir = fs::path(CROSSMT_MODELS_DIR) / "m30k-mul-marian";
inline const std::vector<std::string> kTinyArchs = {"marian_shared", "bart", "mbart", "m2m100_nllb", "t5_original",
                                                    "t5_v1_1"};

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  explicit TempDir(const std::string& label) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("crossmt-test-" + label + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    // Read-only files inside would not stop removal, but a read-only folder would.
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// Copies a tiny model folder (config, generation config, weights) into `destination`, writable.
inline fs::path copy_tiny_model(const std::string& arch, const fs::path& destination) {
  fs::create_directories(destination);
  for (const char* name : {"config.json", "generation_config.json", "model.safetensors"}) {
    fs::copy_file(kTinyArchsDir / arch / name, destination / name, fs::copy_options::overwrite_existing);
    fs::permissions(destination / name, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
  }
  return destination;
}

inline std::string read_bytes(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
}

inline void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream stream(file, std::ios::binary | std::ios::trunc);
  stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline uint64_t header_length(const std::string& bytes) {
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<uint8_t>(bytes[i]);
  return length;
}

inline std::string length_prefix(uint64_t length) {
  std::string prefix(8, '\0');
  for (int i = 0; i < 8; ++i) prefix[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  return prefix;
}

// Rewrites a safetensors file with `header_text` in place of its header, data area unchanged.
inline void replace_header_text(const fs::path& file, const std::string& header_text) {
  const std::string bytes = read_bytes(file);
  const std::string data = bytes.substr(8 + header_length(bytes));
  write_bytes(file, length_prefix(header_text.size()) + header_text + data);
}

// Lets `edit` change the parsed header, then writes it back (data area unchanged).
inline void edit_header(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
  const std::string bytes = read_bytes(file);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(8, header_length(bytes)));
  edit(header);
  replace_header_text(file, header.dump());
}

inline void edit_json_file(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json value = nlohmann::json::parse(read_bytes(file));
  edit(value);
  write_bytes(file, value.dump(2));
}

// Same names, dtypes, shapes and bytes: what "bit-identical round trip" means.
inline void require_same_tensors(const crossmt::Checkpoint& expected, const crossmt::Checkpoint& actual) {
  REQUIRE(expected.tensor_names() == actual.tensor_names());
  for (const auto& [name, tensor] : expected.tensors()) {
    const crossmt::StoredTensor& copy = actual.stored(name);
    INFO(name);
    CHECK(copy.dtype == tensor.dtype);
    CHECK(copy.shape == tensor.shape);
    REQUIRE(copy.byte_size == tensor.byte_size);
    CHECK(std::memcmp(copy.data, tensor.data, tensor.byte_size) == 0);
  }
}

// ---- The crossmt command, stdout and stderr together ----

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs `crossmt <arguments>` with $CROSSMT_MODEL_DIR unset, so the shipped default model applies.
inline Run run_crossmt(const std::string& arguments) {
  const std::string command = "env -u CROSSMT_MODEL_DIR '" + std::string(CROSSMT_BINARY) + "' " + arguments + " 2>&1";
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, read);
  const int raw_status = ::pclose(pipe);
  run.status = WIFEXITED(raw_status) ? WEXITSTATUS(raw_status) : -1;
  return run;
}

inline std::string quoted(const fs::path& path) {
  std::string text = "'";
  text += path.string();
  return text + "'";
}

// A failure is exactly one line: `error: <message>`.
inline void require_error(const Run& run, const std::string& expected) {
  INFO(run.output);
  CHECK(run.status == 2);
  CHECK_THAT(run.output, Catch::StartsWith("error: ") && Catch::Contains(expected));
  CHECK(std::count(run.output.begin(), run.output.end(), '\n') == 1);
}

}  // namespace crossmt::test
