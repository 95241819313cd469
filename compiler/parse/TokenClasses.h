// Token types as syntax error messages see them (internal to compiler/parse/): how each reads in
// an "expected ..." list, and which class of tokens it belongs to.
#pragma once

#include <antlr4-runtime.h>
#include <string>

namespace fulcrum {

// How a token type reads in "expected ..." lists.
std::string describeTokenType(const antlr4::dfa::Vocabulary& vocabulary, size_t type);

// Tokens that can begin an expression.
bool startsExpression(size_t type);

// Keywords that are ordinary names everywhere but in their own place (the grammar's `ident`).
bool isSoftKeyword(size_t type);

// Keywords that start a framework member.
bool isMemberKeyword(size_t type);

// Keywords that begin a declaration, a framework member or a key result: recovery never
// deletes one to repair the line before, since it almost always starts the next, healthy piece.
bool startsDeclaration(size_t type);

} // namespace fulcrum
