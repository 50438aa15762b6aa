// A small but complete site written to a scratch folder for CLI tests: two
// tenants, two languages, layouts with inheritance, partials, components with
// filtered data. Tests edit single files of it to provoke each behaviour.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace isrgen::testing {

class FixtureSite {
 public:
  FixtureSite();
  const fs::path& root() const { return dir_.path(); }
  fs::path out() const { return dir_.path() / "out"; }
  fs::path operator/(const std::string& relative) const { return dir_.path() / relative; }

  void write(const std::string& relative, const std::string& text) const { write_text(root() / relative, text); }
  // Replaces the first `from` in a site file by `to` (the test fails when `from` is not there).
  void replace(const std::string& relative, const std::string& from, const std::string& to) const;
  std::string read_out(const std::string& relative) const { return read_text(out() / relative); }

  // `isrgen build --site <root> --json` plus `extra`, with `env` ("NAME=value")
  // added to the environment; the report parsed from stdout.
  struct Build {
    CommandResult result;
    nlohmann::json report;
  };
  Build build(const std::vector<std::string>& extra = {}, const std::vector<std::string>& env = {}) const;

 private:
  ScratchDir dir_;
};

// "<page>/<lang>" of every entry a --json report lists as rendered.
std::set<std::string> rendered_variants(const nlohmann::json& report);

}  // namespace isrgen::testing
