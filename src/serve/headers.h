// Request headers as the server hands them to request logic: in arrival
// order, names compared without regard to ASCII case (RFC 9110), so the
// logic is tested without a socket and reads "x-hub-signature-256" and
// "X-Hub-Signature-256" alike.
#pragma once

#include "util/ascii.h"

namespace isrgen::serve {

using Headers = HeaderFields;

// The value of the first header called `name`; nullopt when there is none.
using isrgen::find_header;

}  // namespace isrgen::serve
