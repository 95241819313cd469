// compiler/prove/AnswerText: an answer crosses from its child process (DeadlineChild.h) whole.
#include "compiler/prove/AnswerText.h"

#include <gtest/gtest.h>

using namespace fulcrum::prove;

TEST(AnswerText, EveryFieldOfAProofComesBack) {
  CheckProof proof;
  proof.check = "no PIP above \"quota\"";
  proof.gap = "llr in [2.5, 2.75)";
  proof.gapIntervals = {{2.5, 2.75, true, false}, {std::nullopt, -1.0, false, true}};
  proof.gapStage = 3;
  proof.gapNode = 17;
  proof.member = "win_rate";
  proof.file = "examples/llr/llr.fulcrum";
  proof.line = 45;
  proof.column = 85;
  proof.division = 2;
  proof.question = Question::DivisionByZero;
  proof.verdict = Verdict::Refuted;
  proof.reason = "unconfirmed: the solver's values\nline two";
  proof.milliseconds = 12.5;
  proof.counterexample = {{"won", "$150,000"}, {"outcome", "\"pip\""}};
  proof.testBlock = "test \"t\" for llr {\n}\n";
  proof.testTitle = "t";
  proof.subject = "s1";
  const CheckProof back = proofFromText(proofAsText(proof));
  EXPECT_EQ(back.check, proof.check);
  EXPECT_EQ(back.gap, proof.gap);
  ASSERT_EQ(back.gapIntervals.size(), 2u);
  EXPECT_EQ(back.gapIntervals[0].low, 2.5);
  EXPECT_EQ(back.gapIntervals[0].high, 2.75);
  EXPECT_TRUE(back.gapIntervals[0].lowIn);
  EXPECT_FALSE(back.gapIntervals[0].highIn);
  EXPECT_FALSE(back.gapIntervals[1].low.has_value());
  EXPECT_EQ(back.gapIntervals[1].high, -1.0);
  EXPECT_TRUE(back.gapIntervals[1].highIn);
  EXPECT_EQ(back.gapStage, 3);
  EXPECT_EQ(back.gapNode, 17u);
  EXPECT_EQ(back.member, proof.member);
  EXPECT_EQ(back.file, proof.file);
  EXPECT_EQ(back.line, 45u);
  EXPECT_EQ(back.column, 85u);
  EXPECT_EQ(back.division, 2);
  EXPECT_EQ(back.question, Question::DivisionByZero);
  EXPECT_EQ(back.verdict, Verdict::Refuted);
  EXPECT_EQ(back.reason, proof.reason);
  EXPECT_EQ(back.milliseconds, 12.5);
  ASSERT_EQ(back.counterexample.size(), 2u);
  EXPECT_EQ(back.counterexample[1].name, "outcome");
  EXPECT_EQ(back.counterexample[1].value, "\"pip\"");
  EXPECT_EQ(back.testBlock, proof.testBlock);
  EXPECT_EQ(back.testTitle, "t");
  EXPECT_EQ(back.subject, "s1");
}

TEST(AnswerText, RowsOrTheReasonThereAreNone) {
  CounterexampleRows rows{
      "counterexample: c", "test \"counterexample: c\" for f {\n}\n", "g1", {{"a", "1"}}};
  std::string reason;
  const auto back = rowsFromText(rowsAsText(rows, ""), reason);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->title, rows.title);
  EXPECT_EQ(back->testBlock, rows.testBlock);
  EXPECT_EQ(back->subject, "g1");
  ASSERT_EQ(back->values.size(), 1u);
  EXPECT_EQ(back->values[0].value, "1");
  EXPECT_FALSE(rowsFromText(rowsAsText(std::nullopt, "no rows were built: x"), reason));
  EXPECT_EQ(reason, "no rows were built: x");
}
