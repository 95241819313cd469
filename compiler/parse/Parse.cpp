// The parse driver: checks a file against the source limits, parses it in a ParseSession (and
// each string hole in one of its own) and turns what a parse throws (a limit reached, too many
// errors) into diagnostics. ANTLR's exceptions and console output never leave compiler/parse/.
#include "compiler/parse/Parse.h"

#include "compiler/parse/AstBuilder.h"
#include "compiler/parse/GuardedParser.h"
#include "compiler/parse/LexicalErrors.h"
#include "compiler/parse/ParseSession.h"
#include "compiler/parse/PredictionCaches.h"
#include "compiler/parse/SyntaxErrors.h"

#include <fmt/format.h>
#include <memory>
#include <mutex>

namespace fulcrum {

using grammar::FulcrumParser;

namespace {

ast::ExprPtr parseHole(const std::string& text, TokenPositions positions, DiagnosticSink& sink,
                       int depth, PredictionCaches& caches, const std::string& endOfText = "`}`");

// Parses the holes of `file`'s strings, each reporting to `sink`.
HoleParser holeParser(DiagnosticSink& sink, PredictionCaches& caches, FileId file) {
  return [&sink, &caches, file](const std::string& hole, SourceLoc at, int depth) {
    return parseHole(hole, TokenPositions{file, at.line - 1, at.column - 1}, sink, depth, caches);
  };
}

// A hole ends at its `}` (`endOfText`: what the text ends at, for syntax errors at its end).
ast::ExprPtr parseHole(const std::string& text, TokenPositions positions, DiagnosticSink& sink,
                       int depth, PredictionCaches& caches, const std::string& endOfText) {
  ParseSession session(text, positions, sink, caches, endOfText);
  const SourceRange range{positions.file,
                          {positions.lineOffset + 1, positions.columnOffset + 1},
                          {positions.lineOffset + 1, positions.columnOffset + 1}};
  FulcrumParser::HoleExprContext* tree = nullptr;
  try {
    if (session.lex())
      tree = session.parse(&FulcrumParser::holeExpr);
  } catch (const LimitReached& limit) {
    reportLimit(limit, positions, sink);
  } catch (const TooManySyntaxErrors& stop) {
    reportTooManyErrors(sink, stop.at);
  }
  if (tree == nullptr)
    return std::make_unique<ast::ErrorExpr>(range);
  AstBuilder builder(positions, sink, holeParser(sink, caches, positions.file), depth);
  return builder.buildExpr(tree->expr());
}

} // namespace

ast::ExprPtr parseExpression(const SourceManager& sources, FileId file, DiagnosticSink& sink) {
  const std::lock_guard<std::mutex> turn(parsingTurn());
  const SourceFile& source = sources.file(file);
  if (source.text.size() > kMaxLineBytes || source.text.find('\n') != std::string::npos) {
    sink.report(DiagKind::LineTooLong, SourceRange{file, {1, 1}, {1, 1}},
                fmt::format("an expression given on the command line is one line of at most {} "
                            "KiB",
                            kMaxLineBytes >> 10));
    return nullptr;
  }
  if (!checkUtf8(source, file, sink))
    return nullptr;
  const size_t errorsBefore = sink.errorCount();
  ast::ExprPtr expr = parseHole(source.text, TokenPositions{file, 0, 0}, sink, 0,
                                PredictionCaches::forNextFile(), "end of the condition");
  if (sink.errorCount() > errorsBefore || expr->is<ast::ErrorExpr>())
    return nullptr;
  return expr;
}

std::unique_ptr<ast::Module> parseFile(const SourceManager& sources, FileId file,
                                       DiagnosticSink& sink) {
  // Parses take turns (parsingTurn); a file's string holes are parsed inside its turn.
  const std::lock_guard<std::mutex> turn(parsingTurn());
  const SourceFile& source = sources.file(file);
  if (source.text.size() > kMaxSourceBytes) {
    sink.report(DiagKind::SourceTooLarge, SourceRange{file, {1, 1}, {1, 1}},
                fmt::format("file is larger than {} MiB, the limit for one source file",
                            kMaxSourceBytes >> 20),
                "split it into modules joined with `import`");
    return nullptr;
  }
  for (uint32_t line = 1; line <= source.lineStarts.size(); ++line) {
    const size_t length = source.lineText(line).size();
    if (length > kMaxLineBytes) {
      sink.report(
          DiagKind::LineTooLong, SourceRange{file, {line, 1}, {line, 1}},
          fmt::format("line is {} bytes long; the limit is {} KiB", length, kMaxLineBytes >> 10),
          "break it: a declaration or expression may go on over several lines");
      return nullptr;
    }
  }
  if (!checkUtf8(source, file, sink))
    return nullptr;
  const TokenPositions positions{file, 0, 0};
  PredictionCaches& caches = PredictionCaches::forNextFile();
  ParseSession session(source.text, positions, sink, caches); // the BOM is already dropped
  const size_t errorsBefore = sink.errorCount();
  try {
    // Stage 1's own diagnostics (bad literals, holes) are kept aside: if SLL gives up, stage 2
    // builds everything again and would report them twice.
    DiagnosticSink staged;
    AstBuilder streaming(positions, staged, holeParser(staged, caches, file));
    if (auto module = session.parseStreaming(streaming, file)) {
      for (const Diagnostic& d : staged.diagnostics())
        sink.report(d.kind, d.range, d.message, d.hint);
      // Literal and hole errors leave holes in the tree; checking it would only add noise.
      return staged.hasErrors() ? nullptr : std::move(module);
    }
    if (!session.lex())
      return nullptr;
    auto* tree = session.parseWithRecovery(&FulcrumParser::program);
    if (tree == nullptr)
      return nullptr;
    AstBuilder builder(positions, sink, holeParser(sink, caches, file));
    auto module = builder.buildModule(tree);
    return sink.errorCount() > errorsBefore ? nullptr : std::move(module);
  } catch (const LimitReached& limit) {
    reportLimit(limit, positions, sink);
    return nullptr;
  } catch (const TooManySyntaxErrors& stop) {
    reportTooManyErrors(sink, stop.at);
    return nullptr;
  }
}

} // namespace fulcrum
