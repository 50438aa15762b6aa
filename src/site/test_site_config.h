// A site of one tenant, acme (https://acme.example), in English and German,
// for the unit tests of the modules that take a SiteConfig.
#pragma once

#include "site/site_config.h"

namespace isrgen::testing {

inline SiteConfig acme_in_two_languages() {
  SiteConfig config;
  config.languages = {"en", "de"};
  config.tenants["acme"].id = "acme";
  config.tenants["acme"].base_url = "https://acme.example";
  return config;
}

}  // namespace isrgen::testing
