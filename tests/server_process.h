#pragma once
// Starts `crossmt serve` on a free loopback port (--port 0, the port read from its log), waits
// until /health says ready (or only until it listens), and stops it with SIGTERM when it goes
// out of scope.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "cli_runner.h"

extern char** environ;

namespace crossmt::testing {

class ServerProcess {
 public:
  // Listening: return once the port is known, the models perhaps still loading.
  enum class WaitFor { Ready, Listening };
  explicit ServerProcess(const std::vector<std::string>& arguments, WaitFor wait_for = WaitFor::Ready)
      : scratch_(cli_scratch_folder()) {
    std::vector<std::string> argv_strings = {CROSSMT_BINARY, "serve", "--port", "0"};
    argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& argument : argv_strings) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    std::string model_variable = "CROSSMT_MODEL_DIR=" CROSSMT_MODELS_DIR "/m30k-mul-marian";
    std::vector<char*> environment;
    for (char** variable = environ; *variable; ++variable) environment.push_back(*variable);
    environment.push_back(model_variable.data());
    environment.push_back(nullptr);
    if (posix_spawn(&pid_, CROSSMT_BINARY, &actions, nullptr, argv.data(), environment.data()) != 0)
      throw std::runtime_error("cannot start " CROSSMT_BINARY);
    posix_spawn_file_actions_destroy(&actions);
    try {
      wait_until_listening();
      if (wait_for == WaitFor::Ready) wait_until_ready();
    } catch (...) {
      // No destructor runs for a constructor that throws: leave no server behind.
      if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
      std::filesystem::remove_all(scratch_);
      throw;
    }
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      wait_for_exit(std::chrono::seconds(60));
    }
    std::filesystem::remove_all(scratch_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // The default read timeout allows for the sanitizer build on a loaded 2-core CI machine, where a
  // request queued behind a few hundred others can wait minutes; tests that time out on purpose
  // set their own.
  httplib::Client client(std::chrono::seconds read_timeout = std::chrono::seconds(900)) const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(read_timeout);
    client.set_connection_timeout(60, 0);
    return client;
  }
  std::string log() const {
    std::ifstream in(log_path());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Polls /health until it answers 200 (the models are loaded).
  void wait_until_ready(std::chrono::seconds limit = std::chrono::seconds(120)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      httplib::Client probe("127.0.0.1", port_);
      if (auto answer = probe.Get("/health"); answer && answer->status == 200) return;
      if (std::chrono::steady_clock::now() > deadline || exited()) throw std::runtime_error("server not ready: " + log());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  // Sends SIGTERM and returns the exit status (-1 when it did not exit in time or by a signal).
  int terminate(std::chrono::seconds limit = std::chrono::seconds(120)) {
    ::kill(pid_, SIGTERM);
    return wait_for_exit(limit);
  }

 private:
  std::string log_path() const { return (scratch_ / "server.log").string(); }

  void wait_until_listening() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    const std::regex listening("\"event\":\"listening\".*\"port\":([0-9]+)");
    while (port_ == 0) {
      std::smatch match;
      const std::string text = log();
      if (std::regex_search(text, match, listening)) port_ = std::stoi(match[1]);
      else if (std::chrono::steady_clock::now() > deadline || exited()) throw std::runtime_error("server did not start: " + text);
      else std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  bool exited() {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    return false;
  }
  int wait_for_exit(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path scratch_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace crossmt::testing
