#include "json_object_members.h"

#include <unordered_map>

#include "crossmt/error.h"

namespace crossmt {
namespace {

// Records the scalar members of the top-level object; deeper values only count nesting.
class MemberCollector : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit MemberCollector(const std::string& origin) : origin_(origin) {}
  JsonObjectMembers result;

  bool null() override { return value(nullptr); }
  bool boolean(bool flag) override { return value(flag); }
  bool number_integer(number_integer_t number) override { return value(number); }
  bool number_unsigned(number_unsigned_t number) override { return value(number); }
  bool number_float(number_float_t number, const string_t&) override { return value(number); }
  bool string(string_t& text) override { return value(text); }
  bool binary(binary_t&) override { return value(nlohmann::json::binary({})); }
  bool key(string_t& name) override {
    if (depth_ == 1) key_ = name;
    return true;
  }
  bool start_object(std::size_t) override { return open(nlohmann::json::object()); }
  bool start_array(std::size_t) override { return open(nlohmann::json::array()); }
  bool end_object() override { return --depth_, true; }
  bool end_array() override { return --depth_, true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& failure) override {
    std::string message = failure.what();
    for (char& c : message)
      if (c == '\n' || c == '\r') c = ' ';
    throw Error(origin_ + ": not valid JSON (" + message + ")");
  }

 private:
  bool open(nlohmann::json empty) {
    if (depth_ == 0) {
      result.is_object = empty.is_object();
    } else if (depth_ == 1) {
      record(std::move(empty));
    }
    ++depth_;
    return true;
  }
  bool value(nlohmann::json scalar) {
    if (depth_ == 1) record(std::move(scalar));
    return true;
  }
  void record(nlohmann::json member) {
    const auto [place, inserted] = index_.try_emplace(key_, result.members.size());
    if (inserted) {
      result.members.emplace_back(key_, std::move(member));
    } else {
      result.members[place->second].second = std::move(member);
    }
  }

  const std::string& origin_;
  int depth_ = 0;
  std::string key_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

JsonObjectMembers read_json_object_members(std::string_view text, const std::string& origin) {
  MemberCollector collector(origin);
  nlohmann::json::sax_parse(text, &collector);
  return std::move(collector.result);
}

}  // namespace crossmt
