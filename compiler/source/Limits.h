// What the front end accepts from one source file. Input beyond a limit gets its own diagnostic
// (SourceTooLarge, LineTooLong, NestingTooDeep, TooManyDeclarations, TooManyErrors, and the
// lowering's PlanTooLarge) instead of unbounded time, memory or stack. Real frameworks stay far
// below every one: the largest the project benchmarks (bench/check_bench.cpp) has 50,000 metric
// lines in 3.5 MB.
#pragma once

#include <cstddef>

namespace fulcrum {

// Bytes of one source file.
inline constexpr size_t kMaxSourceBytes = size_t{16} << 20;

// Bytes of one line: ANTLR's lexer is slow on very long lines, and nobody writes one on purpose.
inline constexpr size_t kMaxLineBytes = size_t{64} << 10;

// How deeply expressions may nest, counting each operator of a chain like `a + b + c` as a level
// (the tree of such a chain is as deep as it is long).
inline constexpr int kMaxNesting = 256;

// Functions on one path of calls (`f` calls `g` calls `h`...): calls are inlined when planned,
// so a longer chain would make one expression as deep as all the bodies together.
inline constexpr size_t kMaxCallDepth = 32;

// How deeply one expression may nest once the functions it calls are inlined (each body within
// kMaxNesting, but 32 of them in a chain would be 8,000 levels for the lowering's recursion).
inline constexpr size_t kMaxLoweredNesting = 384;

// The stack a compile needs: parse, check, lower to a plan, dump the AST and the plan, and make
// the engine (the JIT's code generation included; LLVM optimises and compiles on threads of its
// own) of the deepest program these limits allow. A host may compile on a thread of this size.
// tests/unit/stack_budget_test.cpp compiles and runs each kind of deepest program on a thread
// created with exactly this stack, painted first to measure the bytes written: at most 136 KiB
// for the parser's limit (a chain of 254 `+`; 255 parentheses 132 KiB) and 168 KiB for the
// lowering's (32 functions inlined 384 levels deep), in the release build (GCC 12, -O2): about
// 0.5 KiB a level for the parser and the AST walks, 0.45 KiB for the lowering. docs/reliability.md.
inline constexpr size_t kCompileStackBytes = size_t{256} << 10;

// Expression nodes one framework member may lower to when it is planned, counted as functions are
// inlined: a function that calls another several times multiplies that one's size, so a short
// chain of them grows exponentially (16 functions, each calling the one before four times, would
// be 4^16 copies). Beyond this the member is a PlanTooLarge error, not an endless plan.
inline constexpr size_t kMaxLoweredPerMember = 1000000;

// Declarations of one file: top-level ones, framework members, fields, score components, key
// results and test items together.
inline constexpr size_t kMaxDeclarations = 100000;

// Syntax and lexical errors reported for one file before parsing stops.
inline constexpr size_t kMaxSyntaxErrors = 50;

} // namespace fulcrum
