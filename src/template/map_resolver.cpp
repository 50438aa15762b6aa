#include "template/template.h"

namespace isrgen::tmpl {

void MapResolver::add(std::string name, std::shared_ptr<const Template> tmpl) {
  templates_.insert_or_assign(std::move(name), std::move(tmpl));
}

const Template* MapResolver::find(std::string_view name) const {
  auto found = templates_.find(name);
  return found == templates_.end() ? nullptr : found->second.get();
}

}  // namespace isrgen::tmpl
