// The AST builder, one test per shape of the grammar it reads (each labelled alternative and each
// rule with several children of one kind): a small snippet is parsed and its AST compared with
// what the snippet says, with operands and parts that differ, so that reading a wrong child (the
// left operand for the right, a title for a message) fails the test.
#include "compiler/ast/Dump.h"
#include "compiler/parse/Parse.h"

#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace fulcrum {
namespace {

using namespace ast;

// One parsed (not checked) file.
struct Parsed {
  SourceManager sources;
  DiagnosticSink sink;
  std::unique_ptr<Module> module;

  std::string errors() const {
    std::string text;
    for (const Diagnostic& d : sink.diagnostics())
      text += d.message + "\n";
    return text;
  }
};

std::unique_ptr<Parsed> parse(const std::string& text) {
  auto parsed = std::make_unique<Parsed>();
  const FileId file = parsed->sources.add("snippet.fulcrum", text);
  parsed->module = parseFile(parsed->sources, file, parsed->sink);
  return parsed;
}

// The declarations of `text`, which must parse without errors.
const std::vector<DeclPtr>& declsOf(const Parsed& parsed) {
  static const std::vector<DeclPtr> none;
  EXPECT_TRUE(parsed.module != nullptr) << parsed.errors();
  return parsed.module ? parsed.module->decls : none;
}

template <typename T> const T& onlyDecl(const Parsed& parsed) {
  const auto& decls = declsOf(parsed);
  if (decls.size() != 1 || !decls[0]->is<T>())
    throw std::runtime_error("expected one declaration of the tested kind");
  return decls[0]->as<T>();
}

// The members of the only framework of `text`.
const std::vector<MemberPtr>& membersOf(const Parsed& parsed) {
  return onlyDecl<FrameworkDecl>(parsed).members;
}

// The dump of the framework of `text` without its first line and its evaluation order, each line
// relative to the members' indent.
std::string dumpMembers(const Parsed& parsed) {
  declsOf(parsed);
  if (!parsed.module)
    return "";
  std::istringstream lines(dumpModule(*parsed.module, parsed.sources));
  std::string line, result;
  while (std::getline(lines, line))
    if (line.rfind("    ", 0) == 0 && line.find("evaluation order:") == std::string::npos)
      result += line.substr(4) + "\n";
  return result;
}

// The AST dump of one expression (the formula of a metric on line 2, starting at column 14).
std::string dumpExpr(const std::string& expr) {
  auto parsed = parse("framework f {\n  metric m = " + expr + "\n}\n");
  const std::string members = dumpMembers(*parsed);
  const std::string head = "metric m @2:3\n";
  if (members.rfind(head, 0) != 0)
    return "unexpected dump:\n" + members + parsed->errors();
  std::istringstream lines(members.substr(head.size()));
  std::string line, result;
  while (std::getline(lines, line))
    result += line.substr(2) + "\n";
  return result;
}

// The first error message of `text`, or "" when it has none.
std::string firstError(const std::string& text) {
  auto parsed = parse(text);
  return parsed->sink.diagnostics().empty() ? "" : parsed->sink.diagnostics()[0].message;
}

// ---- expr: literal ----------------------------------------------------------------------------

TEST(AstBuilder, LiteralNumbers) {
  EXPECT_EQ(dumpExpr("1_200"), "number 1200 @2:14\n");
  EXPECT_EQ(dumpExpr("2.5"), "number 2.5 @2:14\n");
}

TEST(AstBuilder, LiteralPercentMoneyDatePeriodDuration) {
  EXPECT_EQ(dumpExpr("40%"), "percent 0.4 @2:14\n");
  EXPECT_EQ(dumpExpr("$1.5k"), "money 1500.00 @2:14\n");
  EXPECT_EQ(dumpExpr("2017-05-03"), "date 2017-05-03 @2:14\n");
  EXPECT_EQ(dumpExpr("2017-Q2"), "period 2017-Q2 @2:14\n");
  EXPECT_EQ(dumpExpr("14 days"), "duration 14 day @2:14\n");
}

TEST(AstBuilder, LiteralStringWithAHole) {
  EXPECT_EQ(dumpExpr("\"a{x}b\""), "string @2:14\n"
                                   "  text \"a\"\n"
                                   "  name x -> unresolved @2:17\n"
                                   "  text \"b\"\n");
}

TEST(AstBuilder, LiteralBooleansAndMissing) {
  EXPECT_EQ(dumpExpr("true"), "bool true @2:14\n");
  EXPECT_EQ(dumpExpr("false"), "bool false @2:14\n");
  EXPECT_EQ(dumpExpr("missing"), "missing @2:14\n");
}

TEST(AstBuilder, LiteralErrorsNameTheToken) {
  EXPECT_EQ(firstError("param d: date = 2017-02-30\n"), "`2017-02-30` is not a valid date");
  EXPECT_EQ(firstError("param p: period = 2017-Q5\n"), "`2017-Q5` is not a valid period");
}

// ---- expr: names, calls, parentheses, members ------------------------------------------------

TEST(AstBuilder, NameExpr) {
  EXPECT_EQ(dumpExpr("revenue"), "name revenue -> unresolved @2:14\n");
}

TEST(AstBuilder, CallExprWithoutArguments) {
  EXPECT_EQ(dumpExpr("today()"), "call today @2:14\n");
}

TEST(AstBuilder, CallExprArgumentsInOrder) {
  EXPECT_EQ(dumpExpr("max(a, 2)"), "call max @2:14\n"
                                   "  name a -> unresolved @2:18\n"
                                   "  number 2 @2:21\n");
}

TEST(AstBuilder, CallExprDistinctWhereAndOrder) {
  EXPECT_EQ(dumpExpr("count(distinct deals.id where won order by value desc)"),
            "call count distinct @2:14\n"
            "  member .id -> unresolved @2:29\n"
            "    name deals -> unresolved @2:29\n"
            "  where @2:44\n"
            "    name won -> unresolved @2:44\n"
            "  order by desc @2:57\n"
            "    name value -> unresolved @2:57\n");
}

TEST(AstBuilder, CallExprByAndAcrossClauses) {
  auto parsed = parse("framework f {\n  metric m = avg(x by region across rep)\n}\n");
  const auto& members = membersOf(*parsed);
  ASSERT_EQ(members.size(), 1u);
  const auto& call = members[0]->as<MetricMember>().value->as<CallExpr>();
  ASSERT_TRUE(call.by.has_value());
  ASSERT_TRUE(call.across.has_value());
  EXPECT_EQ(call.by->name, "region");
  EXPECT_EQ(call.across->name, "rep");
  EXPECT_EQ(call.clausesRange.begin.column, 20u); // the first clause, `by region`
  EXPECT_EQ(call.clausesRange.end.column, 29u);
  EXPECT_FALSE(call.distinct);
}

TEST(AstBuilder, CallExprSecondWhereIsAnError) {
  EXPECT_EQ(firstError("framework f {\n  metric m = count(d where a where b)\n}\n"),
            "an aggregate takes one `where`");
}

TEST(AstBuilder, ParenExprSpansItsParentheses) {
  EXPECT_EQ(dumpExpr("(a)"), "name a -> unresolved @2:14\n");
  auto parsed = parse("framework f {\n  metric m = (a)\n}\n");
  const Expr& value = *membersOf(*parsed)[0]->as<MetricMember>().value;
  EXPECT_EQ(value.range.end.column, 17u);
}

TEST(AstBuilder, MemberExpr) {
  EXPECT_EQ(dumpExpr("deals.value"), "member .value -> unresolved @2:14\n"
                                     "  name deals -> unresolved @2:14\n");
}

// ---- expr: operators --------------------------------------------------------------------------

TEST(AstBuilder, UnaryExprNegateAndNot) {
  EXPECT_EQ(dumpExpr("-a"), "negate @2:14\n"
                            "  name a -> unresolved @2:15\n");
  EXPECT_EQ(dumpExpr("not a"), "not @2:14\n"
                               "  name a -> unresolved @2:18\n");
}

// Every precedence level of binaryExpr: the left operand first, the operator's own range.
TEST(AstBuilder, BinaryExprEveryOperator) {
  for (const std::string op :
       {"^", "*", "/", "+", "-", "??", "==", "!=", "<", "<=", ">", ">=", "and", "or", "implies"}) {
    SCOPED_TRACE(op);
    EXPECT_EQ(dumpExpr("a " + op + " 2"), "binary " + op +
                                              " @2:14\n"
                                              "  name a -> unresolved @2:14\n"
                                              "  number 2 @2:" +
                                              std::to_string(17 + op.size()) + "\n");
    auto parsed = parse("framework f {\n  metric m = a " + op + " 2\n}\n");
    const auto& binary = membersOf(*parsed)[0]->as<MetricMember>().value->as<BinaryExpr>();
    EXPECT_EQ(binary.opRange.begin.column, 16u);
    EXPECT_EQ(binary.opRange.end.column, 16u + op.size());
  }
}

TEST(AstBuilder, BinaryExprPrecedenceAndAssociativity) {
  EXPECT_EQ(dumpExpr("a - b * c"), "binary - @2:14\n"
                                   "  name a -> unresolved @2:14\n"
                                   "  binary * @2:18\n"
                                   "    name b -> unresolved @2:18\n"
                                   "    name c -> unresolved @2:22\n");
  EXPECT_EQ(dumpExpr("a - b - c"), "binary - @2:14\n"
                                   "  binary - @2:14\n"
                                   "    name a -> unresolved @2:14\n"
                                   "    name b -> unresolved @2:18\n"
                                   "  name c -> unresolved @2:22\n");
  EXPECT_EQ(dumpExpr("a ^ b ^ c"), "binary ^ @2:14\n"
                                   "  name a -> unresolved @2:14\n"
                                   "  binary ^ @2:18\n"
                                   "    name b -> unresolved @2:18\n"
                                   "    name c -> unresolved @2:22\n");
}

TEST(AstBuilder, IsMissingExpr) {
  EXPECT_EQ(dumpExpr("a is missing"), "is missing @2:14\n"
                                      "  name a -> unresolved @2:14\n");
  EXPECT_EQ(dumpExpr("a is not missing"), "is not missing @2:14\n"
                                          "  name a -> unresolved @2:14\n");
}

TEST(AstBuilder, IfExpr) {
  EXPECT_EQ(dumpExpr("if c then 1 else 2"), "if @2:14\n"
                                            "  name c -> unresolved @2:17\n"
                                            "  number 1 @2:24\n"
                                            "  number 2 @2:31\n");
}

TEST(AstBuilder, CaseExprArmsAndElse) {
  EXPECT_EQ(dumpExpr("case { a => 1 b => 2 else => 3 }"), "case @2:14\n"
                                                          "  arm @2:21\n"
                                                          "    name a -> unresolved @2:21\n"
                                                          "    number 1 @2:26\n"
                                                          "  arm @2:28\n"
                                                          "    name b -> unresolved @2:28\n"
                                                          "    number 2 @2:33\n"
                                                          "  else @2:35\n"
                                                          "    number 3 @2:43\n");
  EXPECT_EQ(dumpExpr("case { a => 1 }"), "case @2:14\n"
                                         "  arm @2:21\n"
                                         "    name a -> unresolved @2:21\n"
                                         "    number 1 @2:26\n");
}

// ---- expr: in, one test per inTarget alternative ---------------------------------------------

TEST(AstBuilder, InList) {
  EXPECT_EQ(dumpExpr("s not in (\"a\", \"b\")"), "not in list @2:14\n"
                                                 "  name s -> unresolved @2:14\n"
                                                 "  string @2:24\n"
                                                 "    text \"a\"\n"
                                                 "  string @2:29\n"
                                                 "    text \"b\"\n");
}

TEST(AstBuilder, InPrevious) {
  EXPECT_EQ(dumpExpr("d in previous 2 quarters"), "in previous 2 quarter @2:14\n"
                                                  "  name d -> unresolved @2:14\n");
  EXPECT_EQ(dumpExpr("d in previous period"), "in previous period @2:14\n"
                                              "  name d -> unresolved @2:14\n");
  EXPECT_EQ(firstError("framework f {\n  metric m = d in previous rep\n}\n"),
            "`previous` needs `period` or a unit, not `rep`");
}

TEST(AstBuilder, InPreviousSpan) {
  EXPECT_EQ(dumpExpr("d in previous 3 months"), "in previous 3 month @2:14\n"
                                                "  name d -> unresolved @2:14\n");
}

TEST(AstBuilder, InLast) {
  EXPECT_EQ(dumpExpr("d in last 14 days"), "in last 14 day @2:14\n"
                                           "  name d -> unresolved @2:14\n");
}

TEST(AstBuilder, InName) {
  EXPECT_EQ(dumpExpr("d in period"), "in value @2:14\n"
                                     "  name d -> unresolved @2:14\n"
                                     "  name period -> unresolved @2:19\n");
}

TEST(AstBuilder, InPeriodLit) {
  EXPECT_EQ(dumpExpr("d in 2017-Q2"), "in value @2:14\n"
                                      "  name d -> unresolved @2:14\n"
                                      "  period 2017-Q2 @2:19\n");
}

// ---- framework members ------------------------------------------------------------------------

TEST(AstBuilder, SubjectCadenceMetricAndBandMembers) {
  auto parsed = parse("framework f \"Title\" {\n  subject rep\n  cadence quarter\n"
                      "  metric m: money = 1\n  band b = 2\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "subject rep @2:3\n"
                                  "cadence quarter @3:3\n"
                                  "metric m @4:3\n"
                                  "  number 1 @4:21\n"
                                  "band b @5:3\n"
                                  "  number 2 @5:12\n");
  const auto& framework = onlyDecl<FrameworkDecl>(*parsed);
  EXPECT_EQ(framework.name.name, "f");
  EXPECT_EQ(framework.title, "Title");
  const auto& metric = framework.members[2]->as<MetricMember>();
  ASSERT_TRUE(metric.declaredType.has_value());
  EXPECT_EQ(metric.declaredType->name.name, "money");
}

TEST(AstBuilder, ScoreMemberAndComponents) {
  auto parsed =
      parse("framework f {\n  score s out of 10 {\n    a 30% = x\n    b 70% = y\n  }\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "score s out of 10 @2:3\n"
                                  "  component a 30% @3:5\n"
                                  "    name x -> unresolved @3:13\n"
                                  "  component b 70% @4:5\n"
                                  "    name y -> unresolved @4:13\n");
  const auto& score = membersOf(*parsed)[0]->as<ScoreMember>();
  EXPECT_EQ(score.components[1].weightRange.begin.column, 7u);
}

TEST(AstBuilder, ObjectiveMemberAndKeyResults) {
  auto parsed = parse("framework f {\n  objective \"Grow\" weight 40% {\n"
                      "    key_result k1 \"First\" = a target b weight 25%\n"
                      "    key_result k2 = c target below d\n  }\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "objective \"Grow\" @2:3\n"
                                  "  key_result k1 @3:5\n"
                                  "    name a -> unresolved @3:29\n"
                                  "    target @3:38\n"
                                  "      name b -> unresolved @3:38\n"
                                  "  key_result k2 below @4:5\n"
                                  "    name c -> unresolved @4:21\n"
                                  "    target @4:36\n"
                                  "      name d -> unresolved @4:36\n");
  const auto& objective = membersOf(*parsed)[0]->as<ObjectiveMember>();
  EXPECT_EQ(objective.weight, std::optional<double>(0.4));
  EXPECT_EQ(objective.title, "Grow");
  EXPECT_FALSE(objective.named); // the checker names it `objective_N`
  EXPECT_EQ(objective.name.range.begin.column, 13u);
  EXPECT_EQ(objective.keyResults[0].title, "First");
  EXPECT_EQ(objective.keyResults[0].weight, std::optional<double>(0.25));
  EXPECT_EQ(objective.keyResults[1].title, "");
  EXPECT_FALSE(objective.keyResults[1].weight.has_value());
}

TEST(AstBuilder, NamedObjectiveMember) {
  // `score` is a keyword where a score starts and a name elsewhere (`revenue.score`).
  auto parsed = parse("framework f {\n  objective revenue \"Grow\" {\n"
                      "    key_result k1 = a target score.b\n  }\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "objective revenue \"Grow\" @2:3\n"
                                  "  key_result k1 @3:5\n"
                                  "    name a -> unresolved @3:21\n"
                                  "    target @3:30\n"
                                  "      member .b -> unresolved @3:30\n"
                                  "        name score -> unresolved @3:30\n");
  const auto& objective = membersOf(*parsed)[0]->as<ObjectiveMember>();
  EXPECT_TRUE(objective.named);
  EXPECT_EQ(objective.name.name, "revenue");
  EXPECT_EQ(objective.name.range.begin.column, 13u);
  EXPECT_EQ(objective.title, "Grow");
}

TEST(AstBuilder, RankMember) {
  auto parsed =
      parse("framework f {\n  rank r by a desc within team\n  rank q by b\n  rank p by c asc\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "rank r desc within team @2:3\n"
                                  "  name a -> unresolved @2:13\n"
                                  "rank q asc @3:3\n"
                                  "  name b -> unresolved @3:13\n"
                                  "rank p asc @4:3\n"
                                  "  name c -> unresolved @4:13\n");
}

TEST(AstBuilder, AlertMemberOnTrigger) {
  auto parsed = parse("framework f {\n  alert a \"Title\" on deals where w message \"Msg\" "
                      "priority p\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "alert a on deals @2:3\n"
                                  "  name w -> unresolved @2:34\n"
                                  "  string @2:44\n"
                                  "    text \"Msg\"\n"
                                  "  name p -> unresolved @2:59\n");
  EXPECT_EQ(membersOf(*parsed)[0]->as<AlertMember>().title, "Title");
}

TEST(AstBuilder, AlertMemberWhenTrigger) {
  auto parsed = parse("framework f {\n  alert a when c message \"Msg\"\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "alert a when @2:3\n"
                                  "  name c -> unresolved @2:16\n"
                                  "  string @2:26\n"
                                  "    text \"Msg\"\n");
  const auto& alert = membersOf(*parsed)[0]->as<AlertMember>();
  EXPECT_EQ(alert.title, "");
  EXPECT_EQ(alert.priority, nullptr);
}

TEST(AstBuilder, CheckMember) {
  auto parsed = parse("framework f {\n  check \"Label\": c\n}\n");
  EXPECT_EQ(dumpMembers(*parsed), "check \"Label\" @2:3\n"
                                  "  name c -> unresolved @2:18\n");
}

// ---- declarations -----------------------------------------------------------------------------

TEST(AstBuilder, EntityAndTableDecls) {
  auto parsed = parse("entity rep from \"r.csv\" {\n  key name: text\n  boss: rep? = \"Boss\"\n}\n"
                      "table deals {\n  v: money = amount\n}\n");
  const auto& decls = declsOf(*parsed);
  ASSERT_EQ(decls.size(), 2u);
  const auto& rep = decls[0]->as<DataDecl>();
  EXPECT_TRUE(rep.isEntity);
  EXPECT_EQ(rep.name.name, "rep");
  EXPECT_EQ(rep.fromPath, "r.csv");
  ASSERT_EQ(rep.fields.size(), 2u);
  EXPECT_TRUE(rep.fields[0].isKey);
  EXPECT_EQ(rep.fields[0].column, "name");
  EXPECT_EQ(rep.fields[1].name.name, "boss");
  EXPECT_EQ(rep.fields[1].typeRef.name.name, "rep");
  EXPECT_TRUE(rep.fields[1].typeRef.optional);
  EXPECT_EQ(rep.fields[1].column, "Boss");
  const auto& deals = decls[1]->as<DataDecl>();
  EXPECT_FALSE(deals.isEntity);
  EXPECT_EQ(deals.fromPath, "");
  EXPECT_EQ(deals.fields[0].column, "amount");
}

TEST(AstBuilder, ParamDecl) {
  const auto parsed = parse("param quota: money = $5\n");
  const auto& param = onlyDecl<ParamDecl>(*parsed);
  EXPECT_EQ(param.name.name, "quota");
  EXPECT_EQ(param.typeRef.name.name, "money");
  ASSERT_NE(param.defaultValue, nullptr);
  EXPECT_TRUE(param.defaultValue->is<MoneyLit>());
}

TEST(AstBuilder, GroupDecl) {
  const auto parsed = parse("group team of rep by manager\n");
  const auto& group = onlyDecl<GroupDecl>(*parsed);
  EXPECT_EQ(group.name.name, "team");
  EXPECT_EQ(group.member.name, "rep");
  EXPECT_EQ(group.by.name, "manager");
}

TEST(AstBuilder, GroupDeclWithoutBy) {
  const auto parsed = parse("group company of rep\n");
  const auto& group = onlyDecl<GroupDecl>(*parsed);
  EXPECT_EQ(group.name.name, "company");
  EXPECT_EQ(group.member.name, "rep");
  EXPECT_TRUE(group.by.name.empty());
}

TEST(AstBuilder, FnDecl) {
  const auto parsed = parse("fn add(a: number, b: money): money = b\n");
  const auto& fn = onlyDecl<FnDecl>(*parsed);
  EXPECT_EQ(fn.name.name, "add");
  ASSERT_EQ(fn.params.size(), 2u);
  EXPECT_EQ(fn.params[0].name.name, "a");
  EXPECT_EQ(fn.params[1].typeRef.name.name, "money");
  EXPECT_EQ(fn.result.name.name, "money");
  EXPECT_EQ(fn.body->as<NameRef>().name, "b");
}

TEST(AstBuilder, ImportDecl) {
  const auto parsed = parse("import \"stdlib/okr\"\n");
  EXPECT_EQ(onlyDecl<ImportDecl>(*parsed).path, "stdlib/okr");
}

TEST(AstBuilder, TestDeclAndItems) {
  const auto parsed = parse("test \"Works\" for f {\n  period 2017-Q2\n  as_of 2017-05-01\n"
                            "  param quota = $1\n  deals { id: \"d1\", v: 2 }\n"
                            "  expect \"ann\" { m: 3 }\n}\n");
  const auto& test = onlyDecl<TestDecl>(*parsed);
  EXPECT_EQ(test.title, "Works");
  EXPECT_EQ(test.framework.name, "f");
  EXPECT_TRUE(test.period->is<PeriodLitExpr>());
  EXPECT_TRUE(test.asOf->is<DateLit>());
  ASSERT_EQ(test.params.size(), 1u);
  EXPECT_EQ(test.params[0].name.name, "quota");
  EXPECT_TRUE(test.params[0].value->is<MoneyLit>());
  ASSERT_EQ(test.rows.size(), 1u);
  EXPECT_EQ(test.rows[0].table.name, "deals");
  ASSERT_EQ(test.rows[0].fields.size(), 2u);
  EXPECT_EQ(test.rows[0].fields[1].field.name, "v");
  EXPECT_TRUE(test.rows[0].fields[1].value->is<NumberLit>());
  ASSERT_EQ(test.expects.size(), 1u);
  EXPECT_TRUE(test.expects[0].subjectKey->is<StringLit>());
  EXPECT_EQ(test.expects[0].values[0].field.name, "m");
}

TEST(AstBuilder, TestOutcomesFixturesAndTolerances) {
  const auto parsed = parse("test \"T\" for f {\n  as of 2017-05-01\n"
                            "  deals from \"fixtures/deals.csv\"\n"
                            "  expect \"ann\" { m: 166% \u00b1 1%, n: 1.93, o: $5 +- $1 }\n"
                            "  expect violation \"no PIP\" for \"ann\"\n"
                            "  expect no violation\n"
                            "  expect alert gone_quiet for \"acme\" dated 2017-05-01\n"
                            "  expect alert moved for \"acme\"\n}\n");
  const auto& test = onlyDecl<TestDecl>(*parsed);
  EXPECT_TRUE(test.asOf->is<DateLit>());
  ASSERT_EQ(test.fixtures.size(), 1u);
  EXPECT_EQ(test.fixtures[0].table.name, "deals");
  EXPECT_EQ(test.fixtures[0].path, "fixtures/deals.csv");
  ASSERT_EQ(test.expects.size(), 1u);
  const auto& values = test.expects[0].values;
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].field.name, "m");
  EXPECT_TRUE(values[0].value->is<PercentLit>());
  EXPECT_EQ(values[0].written, "166%");
  ASSERT_TRUE(values[0].tolerance);
  EXPECT_TRUE(values[0].tolerance->is<PercentLit>());
  EXPECT_EQ(values[1].written, "1.93");
  EXPECT_FALSE(values[1].tolerance);
  ASSERT_TRUE(values[2].tolerance);
  EXPECT_TRUE(values[2].tolerance->is<MoneyLit>());
  ASSERT_EQ(test.outcomes.size(), 4u);
  EXPECT_EQ(test.outcomes[0].kind, OutcomeKind::Violation);
  EXPECT_EQ(test.outcomes[0].name.name, "no PIP");
  EXPECT_TRUE(test.outcomes[0].subjectKey->is<StringLit>());
  EXPECT_EQ(test.outcomes[1].kind, OutcomeKind::NoViolation);
  EXPECT_FALSE(test.outcomes[1].subjectKey);
  EXPECT_EQ(test.outcomes[2].kind, OutcomeKind::Alert);
  EXPECT_EQ(test.outcomes[2].name.name, "gone_quiet");
  ASSERT_TRUE(test.outcomes[2].dated);
  EXPECT_TRUE(test.outcomes[2].dated->is<DateLit>());
  EXPECT_FALSE(test.outcomes[3].dated);
}

TEST(AstBuilder, TestWordsStayNames) {
  // `violation`, `no` and `dated` are keywords only inside a test.
  const auto parsed = parse("param no: number = 1\nparam dated: number = 2\n");
  const auto& decls = declsOf(*parsed);
  ASSERT_EQ(decls.size(), 2u);
  EXPECT_EQ(decls[0]->name.name, "no");
  EXPECT_EQ(decls[1]->name.name, "dated");
}

TEST(AstBuilder, ReportBlock) {
  // `report`, `quadrant` and `funnel` start a report block and its hints, and stay names
  // elsewhere: here metrics of those names are what the hints draw. `size` is a plain name.
  const auto parsed = parse("framework f {\n"
                            "  metric funnel = 1\n"
                            "  metric quadrant = 2\n"
                            "  metric report = 3\n"
                            "  rank size by funnel desc\n"
                            "  report {\n"
                            "    quadrant x funnel, y quadrant, size size\n"
                            "    funnel report, funnel\n"
                            "  }\n"
                            "}\n");
  const auto& members = membersOf(*parsed);
  ASSERT_EQ(members.size(), 5u);
  EXPECT_EQ(members[0]->name.name, "funnel");
  EXPECT_EQ(members[2]->name.name, "report");
  ASSERT_TRUE(members[4]->is<ReportMember>());
  const auto& report = members[4]->as<ReportMember>();
  ASSERT_TRUE(report.quadrant && report.quadrant->size);
  EXPECT_EQ(report.quadrant->x.name, "funnel");
  EXPECT_EQ(report.quadrant->y.name, "quadrant");
  EXPECT_EQ(report.quadrant->size->name, "size");
  EXPECT_EQ(report.quadrant->y.range.begin.line, 7u);
  EXPECT_EQ(report.quadrant->y.range.begin.column, 26u);
  ASSERT_TRUE(report.funnel);
  ASSERT_EQ(report.funnel->stages.size(), 2u);
  EXPECT_EQ(report.funnel->stages[0].name, "report");
  EXPECT_EQ(report.funnel->stages[1].name, "funnel");
}

} // namespace
} // namespace fulcrum
