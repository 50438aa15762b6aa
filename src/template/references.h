// What a compiled template refers to, found without rendering it: the first
// segment of every name it looks up, and the partials and parents it names.
// Callers use it to tell which parts of the context a template can read (a
// component template that never names `page` renders the same on every page).
#pragma once

#include <set>
#include <string>

#include "template/template.h"

namespace isrgen::tmpl {

struct References {
  std::set<std::string> roots;     // first segments of looked-up names ("page" for {{page.title}})
  std::set<std::string> segments;  // every segment of looked-up names ("page" and "title")
  std::set<std::string> partials;  // names of {{> name}} and {{< name}}
  bool dynamic_partials = false;   // {{>*name}}: which partial is only known while rendering
};

References references(const Template& tmpl);

}  // namespace isrgen::tmpl
