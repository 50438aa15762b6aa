#include "publish/s3_bucket_client.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <set>

#include <openssl/evp.h>

#include "util/hex.h"

namespace isrgen::publish {
namespace {

// "#38" or "#x26" as UTF-8; nullopt for anything that names no character
// (not a number, out of range, NUL, a surrogate), which is then kept as written.
std::optional<std::string> character_reference(std::string_view entity) {
  const bool hex = entity.starts_with("#x");
  std::string_view digits = entity.substr(hex ? 2 : 1);
  uint32_t code = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || code == 0 ||
      code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    return std::nullopt;
  std::string utf8;
  if (code < 0x80) {
    utf8 += static_cast<char>(code);
  } else if (code < 0x800) {
    utf8 += static_cast<char>(0xC0 | (code >> 6));
    utf8 += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    utf8 += static_cast<char>(0xE0 | (code >> 12));
    utf8 += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    utf8 += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    utf8 += static_cast<char>(0xF0 | (code >> 18));
    utf8 += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    utf8 += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    utf8 += static_cast<char>(0x80 | (code & 0x3F));
  }
  return utf8;
}

std::string xml_unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    size_t end = text.find(';', i);
    if (end == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp") out += '&';
    else if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (auto character = entity.starts_with("#") ? character_reference(entity) : std::nullopt) out += *character;
    else out += text.substr(i, end - i + 1);
    i = end;
  }
  return out;
}

// The text of the first <tag>...</tag> inside `xml`, unescaped; "" when absent.
std::string element_text(std::string_view xml, const std::string& tag) {
  size_t open = xml.find("<" + tag + ">");
  if (open == std::string_view::npos) return "";
  size_t start = open + tag.size() + 2;
  size_t close = xml.find("</" + tag + ">", start);
  if (close == std::string_view::npos) return "";
  return xml_unescape(xml.substr(start, close - start));
}

// Content-MD5 wants the digest's bytes in base64; the digest is kept as hex.
std::string base64_of_hex(const std::string& hex) {
  std::vector<unsigned char> bytes = hex_decode(hex).value_or(std::vector<unsigned char>{});
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(length));
  return out;
}

class S3BucketClient final : public BucketClient {
 public:
  S3BucketClient(S3Settings settings, std::string bucket, std::string prefix, HttpRunOptions options)
      : settings_(std::move(settings)), bucket_(std::move(bucket)), prefix_(std::move(prefix)), options_(options) {
    if (!prefix_.empty() && prefix_.back() != '/') prefix_ += '/';
  }

  std::string describe() const override { return "s3://" + bucket_ + "/" + prefix_; }

  Result<std::vector<RemoteObject>> list() override {
    std::vector<RemoteObject> objects;
    std::string token;
    // A server that hands back a token it gave before would page forever.
    std::set<std::string> tokens_seen;
    do {
      S3Request request;
      request.bucket = bucket_;
      request.query = {{"list-type", "2"}, {"prefix", prefix_}};
      if (!token.empty()) request.query["continuation-token"] = token;
      net::Response outcome = run_http_call(make_s3_call(settings_, request), options_);
      if (!outcome.ok()) return make_error("", 0, "listing " + describe() + " failed: " + outcome.describe());
      auto page = parse_listing_page(outcome.body);
      if (!page.ok()) return page.error();
      for (RemoteObject& object : page.value().objects) {
        if (!object.key.starts_with(prefix_))
          return make_error("", 0, "listing " + describe() + " returned the key '" + object.key +
                                       "', outside the prefix: the endpoint does not answer as S3 does");
        object.key.erase(0, prefix_.size());
        objects.push_back(std::move(object));
      }
      token = page.value().next_continuation_token;
      if (!token.empty() && !tokens_seen.insert(token).second)
        return make_error("", 0, "listing " + describe() + " returned the continuation token '" + token +
                                     "' a second time: the endpoint does not answer as S3 does");
    } while (!token.empty());
    return objects;
  }

  void upload(const std::vector<ObjectUpload>& objects, const CompletionCallback& on_done) override {
    std::vector<net::Request> calls;
    calls.reserve(objects.size());
    for (const ObjectUpload& object : objects) {
      S3Request request;
      request.method = "PUT";
      request.bucket = bucket_;
      request.key = prefix_ + object.key;
      request.body_file = object.file;
      request.body = object.body;
      request.payload_sha256 = object.sha256;
      request.headers = object.headers;
      // The bucket checks the bytes it received against this and refuses a
      // corrupted upload instead of storing it.
      request.headers.emplace_back("Content-MD5", base64_of_hex(object.md5));
      calls.push_back(make_s3_call(settings_, request));
    }
    run(calls, "upload", on_done);
  }

  void remove(const std::vector<std::string>& keys, const CompletionCallback& on_done) override {
    std::vector<net::Request> calls;
    for (const std::string& key : keys) {
      S3Request request;
      request.method = "DELETE";
      request.bucket = bucket_;
      request.key = prefix_ + key;
      calls.push_back(make_s3_call(settings_, request));
    }
    run(calls, "delete", on_done);
  }

 private:
  void run(const std::vector<net::Request>& calls, const char* what, const CompletionCallback& on_done) {
    run_http_calls(calls, options_, [&](size_t index, net::Response outcome) {
      if (outcome.ok()) on_done(index, Status::Ok());
      else on_done(index, make_error("", 0, std::string(what) + " " + calls[index].url + ": " + outcome.describe()));
    });
  }

  S3Settings settings_;
  std::string bucket_;
  std::string prefix_;
  HttpRunOptions options_;
};

}  // namespace

Result<ListingPage> parse_listing_page(const std::string& xml) {
  if (xml.find("<ListBucketResult") == std::string::npos)
    return make_error("", 0, "unexpected listing response: " + xml.substr(0, 200));
  ListingPage page;
  size_t at = 0;
  while ((at = xml.find("<Contents>", at)) != std::string::npos) {
    size_t end = xml.find("</Contents>", at);
    if (end == std::string::npos) break;
    std::string_view contents(xml.data() + at, end - at);
    RemoteObject object;
    object.key = element_text(contents, "Key");
    std::string size = element_text(contents, "Size");
    auto [end_of_size, bad_size] = std::from_chars(size.data(), size.data() + size.size(), object.size);
    if (bad_size != std::errc() || end_of_size != size.data() + size.size() || object.size < 0)
      return make_error("", 0, "listing response: object '" + object.key + "' has no valid <Size> ('" +
                                   size.substr(0, 40) + "')");
    object.etag = element_text(contents, "ETag");
    std::erase(object.etag, '"');
    page.objects.push_back(std::move(object));
    at = end;
  }
  if (element_text(xml, "IsTruncated") == "true") page.next_continuation_token = element_text(xml, "NextContinuationToken");
  return page;
}

std::unique_ptr<BucketClient> make_s3_bucket_client(S3Settings settings, std::string bucket, std::string prefix,
                                                   HttpRunOptions options) {
  return std::make_unique<S3BucketClient>(std::move(settings), std::move(bucket), std::move(prefix), options);
}

}  // namespace isrgen::publish
