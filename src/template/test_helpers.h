// Shorthands for the template tests (header-only, used by *_test.cpp).
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "template/template.h"

namespace isrgen::tmpl::testing {

inline std::shared_ptr<const Template> compile_or_fail(std::string_view source, std::string path = "test.mustache") {
  auto compiled = compile(source, std::move(path));
  if (!compiled) FAIL("does not compile: " << compiled.error().to_string());
  return compiled.value();
}

// Partials from source, each compiled with display path "<name>.mustache".
inline MapResolver partials_from(std::initializer_list<std::pair<std::string, std::string>> sources) {
  MapResolver resolver;
  for (const auto& [name, source] : sources) resolver.add(name, compile_or_fail(source, name + ".mustache"));
  return resolver;
}

inline std::string render_source(std::string_view source, const nlohmann::json& data,
                                 const PartialResolver* partials = nullptr) {
  return render_to_string(*compile_or_fail(source), data, partials);
}

}  // namespace isrgen::tmpl::testing
