// Whether a request's head frames it one way only (RFC 9112 §6, §3.2),
// checked before its body is read. Boost.Beast (1.74) refuses Content-Length
// next to a chunked Transfer-Encoding and Content-Lengths that differ, but
// takes a coding list that does not end in chunked as "no body", so the body
// is read as the next request, and it looks at no Host header. A proxy in
// front that frames the same bytes otherwise would let a request be smuggled.
#pragma once

#include <optional>
#include <string>

#include <boost/beast/http/message.hpp>

namespace isrgen::serve {

// Why the request cannot be framed safely ("more than one Host header"), or
// nullopt. Refused: any Transfer-Encoding but exactly "chunked" (or one in an
// HTTP/1.0 request), more than one Host, no Host in HTTP/1.1.
std::optional<std::string> framing_fault(const boost::beast::http::request_header<>& head);

}  // namespace isrgen::serve
