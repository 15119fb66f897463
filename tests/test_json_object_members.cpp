// The linear-time reader of flat JSON objects behind vocab.json.
#include <catch2/catch.hpp>

#include <string>

#include "../src/json_object_members.h"
#include "crossmt/error.h"

using crossmt::read_json_object_members;

TEST_CASE("object members come back in file order; a repeated key keeps its first place and last value") {
  const auto json = read_json_object_members(R"({"b": 1, "a": 2, "b": 3, "n": {"x": [1]}, "s": "t", "z": null})", "v.json");
  REQUIRE(json.is_object);
  REQUIRE(json.members.size() == 5);
  CHECK(json.members[0].first == "b");
  CHECK(json.members[0].second == 3);
  CHECK(json.members[1].first == "a");
  CHECK(json.members[1].second == 2);
  CHECK(json.members[2].first == "n");
  CHECK(json.members[2].second.is_object());  // nested values are only typed, not kept
  CHECK(json.members[3].second == "t");
  CHECK(json.members[4].second.is_null());
}

TEST_CASE("a large vocabulary is read whole (the ordered_json reader took seconds for it)") {
  std::string text = "{";
  for (int i = 0; i < 60000; ++i) text += (i ? ",\"" : "\"") + std::string("piece") + std::to_string(i) + "\":" + std::to_string(i);
  text += "}";
  const auto json = read_json_object_members(text, "vocab.json");
  REQUIRE(json.members.size() == 60000);
  CHECK(json.members[59999].first == "piece59999");
  CHECK(json.members[59999].second == 59999);
}

TEST_CASE("not an object, invalid JSON and number overflow") {
  CHECK_FALSE(read_json_object_members("[1, 2]", "v.json").is_object);
  CHECK_THROWS_WITH(read_json_object_members("{\"a\": 1,", "v.json"), Catch::StartsWith("v.json: not valid JSON ("));
  CHECK_THROWS_WITH(read_json_object_members("{\"a\": 1e400}", "v.json"),
                    Catch::StartsWith("v.json: not valid JSON (") && Catch::Contains("number overflow"));
}
