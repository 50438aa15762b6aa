// A page's `aliases` (front matter): the old URLs on its tenant that redirect
// to it, e.g. `aliases: [/old-url/, /de/alt/]`. Each is root-relative on the
// tenant: it starts with one '/', has no scheme, query or fragment, no segment
// starting with '.' ("..", ".isrgen-redirects.json"), no backslash, space or
// control character. A last segment
// without a '.' is a folder ("/old-url" is "/old-url/"); one with a '.' is a
// file ("/old.html").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "site/page_file.h"
#include "util/error.h"

namespace isrgen {

// The aliases of `file` (its front-matter field `aliases`), normalised, in
// the order written, each once; an error at the field's line naming the bad one.
Result<std::vector<std::string>> page_aliases(const PageFile& file);

// Where an alias of `tenant` is published, relative to out/:
// "/old-url/" -> "acme/old-url/index.html", "/old.html" -> "acme/old.html".
std::string alias_output(const std::string& tenant, const std::string& alias);

// The language an alias belongs to: `lang` when it starts with "/<lang>/" (or
// is "/<lang>/") for one of `languages` other than the default, else the default.
std::string alias_language(const std::string& alias, const std::vector<std::string>& languages,
                           const std::string& default_language);

}  // namespace isrgen
