#include "http_test_server.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

#include "publish/gzip.h"

using namespace isrgen::testing;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

tcp::socket connect_to(asio::io_context& io, const HttpTestServer& server) {
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), server.port()));
  return socket;
}

// Sends `request` as it is and reads until the server closes the connection:
// the bytes on the wire, unparsed.
std::string send_raw(const HttpTestServer& server, const std::string& request) {
  asio::io_context io;
  tcp::socket socket = connect_to(io, server);
  asio::write(socket, asio::buffer(request));
  std::string reply;
  boost::system::error_code error;
  asio::read(socket, asio::dynamic_buffer(reply), error);
  return reply;
}

std::string get_and_close(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\nX-Trace: Abc\r\nConnection: close\r\n\r\n";
}

}  // namespace

TEST_CASE("test server answers on loopback and logs each request") {
  HttpTestServer server;
  CHECK(server.port() != 0);
  CHECK(server.url("/jobs") == "http://127.0.0.1:" + std::to_string(server.port()) + "/jobs");
  server.on("/jobs", [](const TestRequest&) { return TestResponse::json("[1]"); });
  std::string reply = send_raw(server, get_and_close("/jobs?page=2"));
  CHECK(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(reply.find("Content-Length: 3\r\n") != std::string::npos);
  CHECK(reply.substr(reply.size() - 3) == "[1]");

  REQUIRE(server.request_count() == 1);
  TestRequest logged = server.requests().at(0);
  CHECK(logged.method == "GET");
  CHECK(logged.target == "/jobs?page=2");
  CHECK(logged.path() == "/jobs");
  CHECK(logged.header("x-trace") == "Abc");
  CHECK(logged.header("X-TRACE") == "Abc");
  CHECK(logged.header("Missing").empty());
  CHECK_FALSE(logged.has_header("Missing"));
  CHECK(logged.connection == 1);
}

TEST_CASE("test server answers unknown paths with 404") {
  HttpTestServer server;
  CHECK(send_raw(server, get_and_close("/nowhere")).rfind("HTTP/1.1 404", 0) == 0);
}

TEST_CASE("test server sends chunked and gzip bodies as asked") {
  HttpTestServer server;
  server.on("/chunked", [](const TestRequest&) {
    TestResponse response = TestResponse::json("chunky");
    response.chunked = true;
    return response;
  });
  server.on("/gz", [](const TestRequest&) {
    TestResponse response = TestResponse::json("squeezed");
    response.gzip = true;
    return response;
  });
  std::string chunked = send_raw(server, get_and_close("/chunked"));
  CHECK(chunked.find("Transfer-Encoding: chunked\r\n") != std::string::npos);
  CHECK(chunked.find("Content-Length") == std::string::npos);
  CHECK(chunked.find("\r\n6\r\nchunky\r\n0\r\n\r\n") != std::string::npos);

  std::string gz = send_raw(server, get_and_close("/gz"));
  CHECK(gz.find("Content-Encoding: gzip\r\n") != std::string::npos);
  std::string compressed = isrgen::publish::gzip_compress("squeezed");
  CHECK(gz.substr(gz.size() - compressed.size()) == compressed);
}

TEST_CASE("test server turns a throwing handler into a 500") {
  HttpTestServer server;
  server.on("/boom", [](const TestRequest&) -> TestResponse { throw std::runtime_error("boom"); });
  std::string reply = send_raw(server, get_and_close("/boom"));
  CHECK(reply.rfind("HTTP/1.1 500", 0) == 0);
  CHECK(reply.find("test handler threw: boom") != std::string::npos);
}

TEST_CASE("test server stops while an answer hangs and a client idles") {
  asio::io_context io;
  std::optional<HttpTestServer> server(std::in_place);
  server->on("/hang", [](const TestRequest&) { return TestResponse::hanging(); });
  tcp::socket hanging = connect_to(io, *server);
  asio::write(hanging, asio::buffer(std::string("GET /hang HTTP/1.1\r\nHost: test\r\n\r\n")));
  tcp::socket idle = connect_to(io, *server);  // connected, never sends a request
  // Once the request is logged its connection is hanging; stopping must not wait for the client.
  while (server->request_count() == 0) std::this_thread::yield();
  server.reset();
  std::string rest;
  boost::system::error_code error;
  asio::read(hanging, asio::dynamic_buffer(rest), error);
  CHECK(rest.empty());  // closed without an answer
  CHECK(error == asio::error::eof);
}
