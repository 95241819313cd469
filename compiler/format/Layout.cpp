// The layout printer: one pass over the tokens deciding, before each, whether it goes on the
// same line, a new line or after a blank line, and at what indentation; then the aligned columns.
#include "compiler/format/Layout.h"

#include "compiler/format/Alignment.h"

#include <algorithm>

namespace fulcrum::format {

namespace {

bool isComment(const LayoutToken& token) {
  return token.role == TokenRole::LineComment || token.role == TokenRole::BlockComment;
}

// Whether two tokens on one line take a space between them.
bool spaced(const LayoutToken& prev, const LayoutToken& next) {
  const TokenRole a = prev.role, b = next.role;
  if (a == TokenRole::OpenParen || b == TokenRole::CloseParen)
    return false;
  if (b == TokenRole::Comma || b == TokenRole::Colon || b == TokenRole::Question)
    return false;
  if (a == TokenRole::Callee && b == TokenRole::OpenParen)
    return false;
  if (a == TokenRole::Dot || b == TokenRole::Dot || a == TokenRole::PrefixMinus)
    return false;
  if (a == TokenRole::RangeBound && b == TokenRole::DotDot)
    return false;
  if (a == TokenRole::DotDot && (b == TokenRole::RangeBound || b == TokenRole::PrefixMinus))
    return false;
  if ((a == TokenRole::InlineOpen && b == TokenRole::InlineClose) ||
      (a == TokenRole::BlockOpen && b == TokenRole::BlockClose))
    return false;
  return true;
}

std::string withoutTrailingBlanks(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.pop_back();
  return text;
}

class Printer {
public:
  explicit Printer(const std::vector<LayoutToken>& tokens) : tokens_(tokens) {}

  std::string print() {
    for (size_t i = 0; i < tokens_.size(); ++i)
      emit(i);
    alignColumns(lines_, aligned_);
    std::string text;
    for (const std::string& line : lines_)
      text += line + '\n';
    return text;
  }

private:
  enum class Break { None, Line, BlankLine };

  // A body laid out one item per line.
  struct Block {
    int openIndent = 0; // the indentation of the line that opened it (and of its `}`)
    int itemIndent = 0;
    int bracketsAtOpen = 0;
  };

  // The first token after `index` that is not a comment (tokens_.size() when none is). Asked
  // with growing indexes, so the answer is kept: a long run of comments is scanned once.
  size_t nextCode(size_t index) const {
    if (nextCode_ > index)
      return nextCode_;
    while (index + 1 < tokens_.size() && isComment(tokens_[index + 1]))
      ++index;
    return nextCode_ = index + 1;
  }

  // Whether the declaration starting at `index` stays with the one before, without a blank line:
  // both one line, of one kind (`import`, `param`, `group`, ...), nothing but comments between
  // them and no blank line in the source. So a group of params stays a group.
  bool continuesGroup(size_t index) const {
    if (index >= tokens_.size() || !tokens_[index].startsDecl || !lastDeclOneLine_ ||
        tokens_[index].text != lastDeclKeyword_)
      return false;
    for (size_t i = lastDeclEnd_ + 1; i <= index; ++i)
      if (tokens_[i].line > tokens_[i - 1].endLine + 1)
        return false;
    for (size_t i = index; i < tokens_.size(); ++i) {
      if (tokens_[i].role == TokenRole::BlockOpen || tokens_[i].endLine != tokens_[index].line)
        return false;
      if (tokens_[i].endsDecl)
        return true;
    }
    return false;
  }

  Break breakBefore(size_t index) const {
    const LayoutToken& token = tokens_[index];
    const LayoutToken& prev = tokens_[index - 1];
    const bool sourceBreak = token.line > prev.endLine;
    const bool sourceBlank = token.line > prev.endLine + 1 && prev.role != TokenRole::BlockOpen;
    Break wanted = Break::None;
    if (token.role == TokenRole::BlockClose)
      wanted = prev.role == TokenRole::BlockOpen ? Break::None : Break::Line;
    else if (token.startsDecl)
      wanted =
          (declBoundary_ || sourceBlank) && !continuesGroup(index) ? Break::BlankLine : Break::Line;
    else if (isComment(token) && !sourceBreak)
      wanted = Break::None;
    else if (isComment(token))
      wanted = (declBoundary_ && !continuesGroup(nextCode(index))) || sourceBlank ? Break::BlankLine
                                                                                  : Break::Line;
    else if (token.startsItem)
      wanted = sourceBlank ? Break::BlankLine : Break::Line;
    else if (prev.role == TokenRole::BlockOpen)
      wanted = Break::Line;
    else if (token.role == TokenRole::BlockOpen)
      wanted = Break::None;
    else
      wanted = sourceBreak ? Break::Line : Break::None;
    if (wanted == Break::None && prev.role == TokenRole::LineComment)
      wanted = Break::Line;
    return wanted;
  }

  // The indentation of a token that starts a line.
  int indentOf(size_t index) const {
    const LayoutToken& token = tokens_[index];
    const Block& block = blocks_.back();
    if (isComment(token)) {
      // A comment on its own line goes where the code after it goes.
      const size_t next = nextCode(index);
      if (next == tokens_.size() || tokens_[next].role == TokenRole::BlockClose)
        return block.itemIndent; // inside the block, not at its `}`
      return indentOf(next);
    }
    if (token.startsDecl || token.startsItem)
      return block.itemIndent;
    if (token.role == TokenRole::BlockClose)
      return block.openIndent;
    // A line that starts by closing a bracket goes where the line that opened it went
    // (`deals {` ... `}` line up); a line inside brackets goes two spaces past that line, four
    // when it started a declaration (a `fn`'s parameters stand apart from its body); a
    // continuation outside brackets goes two spaces past its item.
    const bool closes = token.role == TokenRole::CloseParen || token.role == TokenRole::InlineClose;
    const bool inBrackets = brackets_ > block.bracketsAtOpen && !openBrackets_.empty();
    if (closes && inBrackets)
      return openBrackets_.back().closeIndent;
    // A line that starts with an operator continues the operand above it: one step further.
    const int operatorStep = token.role == TokenRole::BinaryOperator ? 2 : 0;
    if (inBrackets)
      return openBrackets_.back().contentIndent + operatorStep;
    return block.itemIndent + 2 + operatorStep;
  }

  void emit(size_t index) {
    const LayoutToken& token = tokens_[index];
    const std::string text =
        token.role == TokenRole::LineComment ? withoutTrailingBlanks(token.text) : token.text;
    const Break brk = index == 0 ? Break::Line : breakBefore(index);
    if (brk == Break::None) {
      if (spaced(tokens_[index - 1], token))
        lines_.back() += ' ';
    } else {
      if (brk == Break::BlankLine && !lines_.empty())
        lines_.emplace_back();
      lineIndent_ = indentOf(index);
      lineStartsDecl_ = token.startsDecl;
      lines_.emplace_back(static_cast<size_t>(lineIndent_), ' ');
    }
    if (token.startsDecl || token.startsItem)
      itemLine_ = lines_.size() - 1;
    if (token.startsDecl) {
      lastDeclKeyword_ = token.text;
      declLine_ = lines_.size() - 1;
    }
    if (token.alignGroup >= 0) {
      const bool firstOnLine = aligned_.empty() || aligned_.back().line != lines_.size() - 1;
      aligned_.push_back(AlignedToken{token.alignGroup, lines_.size() - 1, lines_.back().size(),
                                      firstOnLine && itemLine_ == lines_.size() - 1});
    }
    if (token.role == TokenRole::LineComment && brk == Break::None) {
      // Trailing comments of consecutive lines line up.
      const size_t line = lines_.size() - 1;
      if (line != lastTrailingLine_ + 1 || line == 0)
        ++trailingGroup_;
      lastTrailingLine_ = line;
      aligned_.push_back(AlignedToken{trailingGroup_, line, lines_.back().size(), true});
    }
    lines_.back() += text;

    switch (token.role) {
    case TokenRole::BlockOpen:
      blocks_.push_back(Block{lineIndent_, lineIndent_ + 2, brackets_});
      break;
    case TokenRole::BlockClose:
      if (blocks_.size() > 1)
        blocks_.pop_back();
      break;
    case TokenRole::OpenParen:
    case TokenRole::InlineOpen:
      ++brackets_;
      openBrackets_.push_back(OpenBracket{lineIndent_ + (lineStartsDecl_ ? 4 : 2), lineIndent_});
      break;
    case TokenRole::CloseParen:
    case TokenRole::InlineClose:
      --brackets_;
      if (!openBrackets_.empty())
        openBrackets_.pop_back();
      break;
    default:
      break;
    }
    // After a declaration's last token (and comments on its line), the next line is apart.
    if (token.endsDecl) {
      declBoundary_ = true;
      lastDeclEnd_ = index;
      lastDeclOneLine_ =
          lines_.size() - 1 == declLine_ && lines_.back().find('\n') == std::string::npos;
    } else if (!(isComment(token) && brk == Break::None))
      declBoundary_ = false;
  }

  const std::vector<LayoutToken>& tokens_;
  std::vector<std::string> lines_;
  std::vector<Block> blocks_{Block{}};
  std::vector<AlignedToken> aligned_;
  int brackets_ = 0; // parentheses and inline braces open
  // Each open parenthesis or inline brace: where the lines inside it go, and its closing line.
  struct OpenBracket {
    int contentIndent = 0, closeIndent = 0;
  };
  std::vector<OpenBracket> openBrackets_;
  int lineIndent_ = 0;
  bool lineStartsDecl_ = false; // the current output line starts a top-level declaration
  size_t itemLine_ = 0;
  bool declBoundary_ = false;
  mutable size_t nextCode_ = 0;
  // Trailing comments: each run of consecutive lines is an alignment group, numbered after
  // every token's index (the groups LayoutTokens gives).
  int trailingGroup_ = static_cast<int>(tokens_.size());
  size_t lastTrailingLine_ = 0;
  // The last top-level declaration: its keyword, the output line it started on, its last token,
  // and whether it all went on that line.
  std::string lastDeclKeyword_;
  size_t declLine_ = 0;
  size_t lastDeclEnd_ = 0;
  bool lastDeclOneLine_ = false;
};

} // namespace

std::string layOut(const std::vector<LayoutToken>& tokens) {
  return Printer(tokens).print();
}

} // namespace fulcrum::format
