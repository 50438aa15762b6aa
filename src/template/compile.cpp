// Last compile step: turns tokens into the node list of compiled.h.

#include <algorithm>
#include <charconv>
#include <optional>

#include "template/compiled.h"
#include "template/standalone.h"
#include "template/tokenizer.h"
#include "util/text.h"

namespace isrgen::tmpl {

namespace {

size_t common_prefix_size(std::string_view a, std::string_view b) {
  size_t size = 0;
  while (size < a.size() && size < b.size() && a[size] == b[size]) ++size;
  return size;
}

// Array index for a name segment made of digits only ("authors.0.name").
int32_t index_of(std::string_view segment) {
  if (segment.find_first_not_of("0123456789") != std::string_view::npos) return -1;
  int32_t index = -1;
  auto result = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  return result.ec == std::errc() ? index : -1;
}

class Builder {
 public:
  Builder(std::string_view source, Template& tmpl, Markup markup) : source_(source), tmpl_(tmpl) {
    if (markup == Markup::kHtml) html_.emplace();
  }

  void add(const Token& token) {
    switch (token.kind) {
      case TokenKind::kText:
        follow_html(token);
        add_text(token);
        return;
      case TokenKind::kComment:
      case TokenKind::kDelimiters: return;  // render nothing; text around them still merges
      case TokenKind::kEscaped: push(interpolation_node(Op::kEscaped, token)); break;
      case TokenKind::kRaw: push(interpolation_node(Op::kRaw, token)); break;
      case TokenKind::kSection: open(path_node(Op::kSection, token)); break;
      case TokenKind::kInverted: open(path_node(Op::kInverted, token)); break;
      case TokenKind::kPartial: push(named_node(Op::kPartial, token)); break;
      case TokenKind::kParent: open(named_node(Op::kParent, token)); break;
      case TokenKind::kBlock: open(named_node(Op::kBlock, token), token.indentation); break;
      case TokenKind::kClose: close(); break;
    }
    text_continues_ = false;
  }

 private:
  struct OpenNode {
    uint32_t index;
    // A block's content is stored without the block's own indentation, which
    // the renderer puts back (or replaces, when the block is overridden). This
    // is that indentation for the innermost block around this node.
    std::string_view dedent;
  };

  std::string_view dedent() const { return open_.empty() ? std::string_view() : open_.back().dedent; }

  void add_text(const Token& token) {
    if (token.begin == token.end) return;
    std::string_view text = source_.substr(token.begin, token.end - token.begin);
    bool at_line_start = token.begin == 0 || source_[token.begin - 1] == '\n';
    uint32_t offset = static_cast<uint32_t>(tmpl_.pool.size());
    append_dedented(text, at_line_start);
    uint32_t size = static_cast<uint32_t>(tmpl_.pool.size()) - offset;
    if (text_continues_) {
      tmpl_.nodes.back().text.size += size;  // the previous text node ends where this text begins in the pool
    } else {
      push(Node{.op = Op::kText, .text = {offset, size}});
      text_continues_ = true;
    }
  }

  void append_dedented(std::string_view text, bool at_line_start) {
    std::string_view prefix = dedent();
    bool line_start = at_line_start;
    while (!text.empty()) {
      if (line_start) text.remove_prefix(common_prefix_size(text, prefix));
      size_t newline = text.find('\n');
      size_t line_size = newline == std::string_view::npos ? text.size() : newline + 1;
      tmpl_.pool.append(text.substr(0, line_size));
      text.remove_prefix(line_size);
      line_start = true;
    }
  }

  Node tag_node(Op op, const Token& token) {
    TextPosition position = locate(token.begin);
    return Node{.op = op,
                .standalone = token.standalone,
                .dynamic = token.dynamic,
                .line = static_cast<uint32_t>(position.line),
                .column = static_cast<uint32_t>(position.column)};
  }

  // Variables and sections.
  Node path_node(Op op, const Token& token) {
    Node node = tag_node(op, token);
    node.path = add_path(token.name);
    return node;
  }

  // Text directly inside a parent renders nothing, so it moves the HTML state nowhere.
  void follow_html(const Token& token) {
    if (html_ && token.level != kIgnoredLevel) html_->text(source_.substr(token.begin, token.end - token.begin));
  }

  // A raw value is not checked, but it is part of the attribute value it stands in.
  Node interpolation_node(Op op, const Token& token) {
    Node node = path_node(op, token);
    if (html_) {
      Placement placement = html_->interpolation();
      if (op == Op::kEscaped) node.placement = placement;
    }
    return node;
  }

  // Partials, parents and blocks: their indentation is kept relative to the
  // block they sit in, whose own indentation the renderer adds.
  Node named_node(Op op, const Token& token) {
    Node node = tag_node(op, token);
    std::string_view indentation = token.indentation;
    indentation.remove_prefix(common_prefix_size(indentation, dedent()));
    node.text = intern(indentation);
    if (token.dynamic) {
      node.path = add_path(token.name);
    } else {
      node.name = intern(token.name);
    }
    return node;
  }

  Path add_path(std::string_view name) {
    Path path{.first_part = static_cast<uint32_t>(tmpl_.parts.size())};
    if (name == ".") return path;
    for (size_t begin = 0; begin <= name.size(); ++path.part_count) {
      size_t dot = std::min(name.find('.', begin), name.size());
      std::string_view segment = name.substr(begin, dot - begin);
      tmpl_.parts.push_back(PathPart{.key = intern(segment), .index = index_of(segment)});
      begin = dot + 1;
    }
    return path;
  }

  Span intern(std::string_view text) {
    Span span{static_cast<uint32_t>(tmpl_.pool.size()), static_cast<uint32_t>(text.size())};
    tmpl_.pool.append(text);
    return span;
  }

  uint32_t push(Node node) {
    auto index = static_cast<uint32_t>(tmpl_.nodes.size());
    node.subtree_end = index + 1;
    tmpl_.nodes.push_back(node);
    return index;
  }

  void open(Node node) { open(node, dedent()); }
  void open(Node node, std::string_view dedent) { open_.push_back(OpenNode{push(node), dedent}); }

  // The tokenizer has checked that every close tag matches an open one.
  void close() {
    tmpl_.nodes[open_.back().index].subtree_end = static_cast<uint32_t>(tmpl_.nodes.size());
    open_.pop_back();
  }

  // Tokens arrive in source order, so positions are found by counting on
  // from the previous one rather than from the start.
  TextPosition locate(size_t offset) {
    TextPosition step = position_of(source_.substr(located_offset_), offset - located_offset_);
    located_.column = step.line == 1 ? located_.column + step.column - 1 : step.column;
    located_.line += step.line - 1;
    located_offset_ = offset;
    return located_;
  }

  std::string_view source_;
  Template& tmpl_;
  std::vector<OpenNode> open_;
  std::optional<HtmlContext> html_;  // set for HTML templates
  bool text_continues_ = false;  // the last node is text that later text may extend
  size_t located_offset_ = 0;
  TextPosition located_;
};

// Pool offsets are 32-bit. The pool holds slices of the source (text, names,
// indentation), less than three times its size in all.
constexpr size_t kMaxSourceSize = size_t{1} << 30;

}  // namespace

Result<std::shared_ptr<const Template>> compile(std::string_view source, std::string display_path, Markup markup) {
  if (source.size() > kMaxSourceSize) return Error{display_path, 0, 0, "template too large (over 1 GiB)"};
  Result<std::vector<Token>> tokens = tokenize(source, display_path);
  if (!tokens) return tokens.error();
  mark_standalone_lines(source, tokens.value());

  auto tmpl = std::make_shared<Template>();
  tmpl->display_path = std::move(display_path);
  Builder builder(source, *tmpl, markup);
  for (const Token& token : tokens.value()) builder.add(token);
  return std::shared_ptr<const Template>(std::move(tmpl));
}

const std::string& display_path(const Template& tmpl) { return tmpl.display_path; }

}  // namespace isrgen::tmpl
