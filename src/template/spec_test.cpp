// Runs the official Mustache spec (shared/conformance/mustache-spec): the core
// files plus ~inheritance and ~dynamic-names. Lambdas are not supported. The
// spec's templates are plain text, so they compile as Markup::kText.

#include <algorithm>
#include <fstream>
#include <vector>

#include <catch2/catch.hpp>

#include "template/template.h"
#include "test_support.h"

using namespace isrgen::tmpl;
namespace fs = std::filesystem;

namespace {

fs::path spec_dir() { return isrgen::testing::shared_dir() / "conformance" / "mustache-spec"; }

std::vector<fs::path> spec_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(spec_dir())) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && !name.starts_with("~lambdas")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

nlohmann::json load(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// Compiles, renders and compares one spec case; returns "" or what went wrong.
std::string run_case(const nlohmann::json& test) {
  MapResolver partials;
  const nlohmann::json sources = test.value("partials", nlohmann::json::object());
  for (const auto& [name, source] : sources.items()) {
    auto compiled = compile(source.get<std::string>(), name, Markup::kText);
    if (!compiled) return "partial does not compile: " + compiled.error().to_string();
    partials.add(name, compiled.value());
  }
  auto compiled = compile(test.at("template").get<std::string>(), "template", Markup::kText);
  if (!compiled) return "template does not compile: " + compiled.error().to_string();
  std::string out = render_to_string(*compiled.value(), test.at("data"), &partials);
  const std::string& expected = test.at("expected").get_ref<const std::string&>();
  if (out == expected) return "";
  return "expected " + nlohmann::json(expected).dump() + "\n     got " + nlohmann::json(out).dump();
}

}  // namespace

TEST_CASE("mustache spec: every case of every supported file passes") {
  INFO("spec folder: " << spec_dir().string() << " (set ISRGEN_SHARED_DIR to point elsewhere)");
  REQUIRE(fs::is_directory(spec_dir()));
  std::vector<fs::path> files = spec_files();
  // comments, delimiters, interpolation, inverted, partials, sections, ~inheritance, ~dynamic-names
  REQUIRE(files.size() >= 8);

  for (const fs::path& file : files) {
    nlohmann::json spec = load(file);
    const nlohmann::json& tests = spec.at("tests");
    CHECK(!tests.empty());
    for (size_t i = 0; i < tests.size(); ++i) {
      const nlohmann::json& test = tests[i];
      // Numbered because names repeat (~inheritance has two "Text inside parent").
      DYNAMIC_SECTION(file.filename().string() << " #" << i + 1 << ": " << test.at("name").get<std::string>()) {
        INFO(test.at("desc").get<std::string>());
        INFO("template: " << test.at("template").dump());
        CHECK(run_case(test) == "");
      }
    }
  }
}
