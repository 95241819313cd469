// The Fulcrum language: declarations, frameworks, tests and expressions (see docs/language.md
// in ../shared/design). Parsed in two stages (SLL, then LL); compiler/parse/ turns the tree
// into the project's own AST, so nothing past the front end sees these rules.
grammar Fulcrum;

program : decl* EOF ;

// A `{expr}` hole of a string, parsed on its own.
holeExpr : expr EOF ;

decl
  : entityDecl
  | tableDecl
  | paramDecl
  | groupDecl
  | fnDecl
  | importDecl
  | frameworkDecl
  | testDecl
  | calendarDecl
  | currencyDecl
  ;

// ---- data -------------------------------------------------------------------------------------

entityDecl : ENTITY ident (FROM STRING fileOption*)? LBRACE fieldDecl* RBRACE ;
tableDecl  : TABLE ident (FROM STRING fileOption*)? LBRACE fieldDecl* RBRACE ;
// `delimiter ";"`, `delimiter auto`, `headers loose`: the words are checked by the AST builder.
fileOption : option = ident (text = STRING | word = ident) ;
fieldDecl  : KEY? ident COLON typeRef (IN valueRange)? (ASSIGN columnName)? cellFormat? ;
// `format "MM/DD/YYYY"`, `format "YYYY-MM-DDThh:mm:ssZ" in zone "UTC"`, `format "1.234,56 €"`.
cellFormat : FORMAT pattern = STRING (IN zoneWord = ident zone = STRING)? ;
// `in 1..5`, `in 0%..200%`, `in 0..`: the values a field or param may hold.
valueRange : low = rangeBound? DOTDOT high = rangeBound? ;
rangeBound : MINUS? (INT | DECIMAL | PERCENT | MONEY) ;
columnName : ident | STRING ;
typeRef    : ident QUESTION? ;

paramDecl  : PARAM ident COLON typeRef (IN valueRange)? (ASSIGN expr)? ;
// Without `by`: one group holding every member (`group company of rep`), the top of a cascade.
groupDecl  : GROUP name = ident OF memberEntity = ident (BY by = ident)? ;
fnDecl     : FN ident LPAREN (fnParam (COMMA fnParam)*)? RPAREN COLON typeRef ASSIGN expr ;
fnParam    : ident COLON typeRef ;
importDecl : IMPORT STRING ;
// `calendar fiscal year starts February`: the words are checked by the AST builder.
calendarDecl : CALENDAR fiscal = ident year = ident starts = ident month = ident ;
// `currency EUR`: the program's one currency (docs/data-formats.md).
currencyDecl : CURRENCY code = ident ;

// ---- frameworks -------------------------------------------------------------------------------

frameworkDecl : frameworkHead member* RBRACE ;
// The parse driver also reads a framework piecewise (head, members, `}`) to bound memory.
frameworkHead : FRAMEWORK ident STRING? LBRACE ;
frameworkEnd  : RBRACE ;

member
  : SUBJECT entity = ident                                          # subjectMember
  | CADENCE unit = ident                                            # cadenceMember
  | METRIC name = ident (COLON declaredType = typeRef)? ASSIGN value = expr # metricMember
  | SCORE name = ident OUT OF outOf = (INT | DECIMAL) LBRACE component* RBRACE # scoreMember
  | BAND name = ident ASSIGN value = expr                           # bandMember
  | OBJECTIVE name = ident? title = STRING (WEIGHT weight = PERCENT)? LBRACE keyResult* RBRACE
    # objectiveMember
  | RANK name = ident BY by = expr direction? (WITHIN within = ident)? # rankMember
  | ALERT name = ident title = STRING? trigger = alertTrigger MESSAGE message = STRING
    (PRIORITY priority = expr)?                                     # alertMember
  | CHECK label = STRING COLON condition = expr                     # checkMember
  | REPORT LBRACE reportHint* RBRACE                                # reportMember
  ;

component  : name = ident weight = PERCENT ASSIGN value = expr ;
keyResult
  : KEY_RESULT name = ident title = STRING? ASSIGN actual = expr
    TARGET below = BELOW? target = expr (WEIGHT weight = PERCENT)?
  ;
direction  : ASC | DESC ;
// `report { ... }`: how `fulcrum report` draws the framework; no effect on a run. A quadrant's
// roles (`x`, `y`, `size`) are words the AST builder checks.
reportHint
  : QUADRANT axes += reportAxis (COMMA axes += reportAxis)*         # quadrantHint
  | FUNNEL stages += ident (COMMA stages += ident)*                 # funnelHint
  ;
reportAxis : role = ident name = ident ;
alertTrigger
  : ON table = ident (WHERE condition = expr)?                      # onTrigger
  | WHEN condition = expr                                           # whenTrigger
  ;

// ---- tests ------------------------------------------------------------------------------------

testDecl : TEST STRING FOR ident LBRACE testItem* RBRACE ;
testItem
  : PERIOD_KW expr                                                  # testPeriod
  | AS_OF expr                                                      # testAsOf
  | PARAM ident ASSIGN expr                                         # testParam
  | EXPECT subject = expr LBRACE expectedValues? RBRACE             # testExpect
  | EXPECT VIOLATION check = STRING FOR subject = expr              # testExpectViolation
  | EXPECT NO VIOLATION                                             # testExpectNoViolation
  | EXPECT ALERT alert = ident FOR subject = expr (DATED dated = expr)? # testExpectAlert
  | table = ident FROM path = STRING                                # testFixture
  | ident LBRACE fieldInits? RBRACE                                 # testRow
  ;
fieldInits : fieldInit (COMMA fieldInit)* COMMA? ;
fieldInit  : ident COLON expr ;
// `attainment: 166%` matches to the precision it is written with; `± 1%` (or `+- 1%`) says how far.
expectedValues : expectedValue (COMMA expectedValue)* COMMA? ;
// An output column: a member, or a part of one (`llr.results`, `pipeline.progress`).
expectedValue  : output = ident (DOT part = ident)? COLON value = expr (PLUS_MINUS tolerance = expr)? ;

// ---- expressions (lowest precedence last) -----------------------------------------------------

// Leaves are alternatives of `expr` itself (no separate rule): one parse-tree node less per
// leaf, which is most of the nodes in a large file. Alternatives that build alike share a label
// (every literal is a `literal`, every binary operator a `binaryExpr`), so the AST builder tells
// them apart by one class test and then by the labelled token.
expr
  : value = (INT | DECIMAL)                                         # literal
  | value = PERCENT                                                 # literal
  | value = MONEY                                                   # literal
  | value = DATE                                                    # literal
  | value = PERIOD_LIT                                              # literal
  | value = DURATION                                                # literal
  | value = STRING                                                  # literal
  | value = (TRUE | FALSE)                                          # literal
  | value = MISSING                                                 # literal
  | callee = ident LPAREN arguments = callArgs? RPAREN              # callExpr
  | name = ident                                                    # nameExpr
  | LPAREN inner = expr RPAREN                                      # parenExpr
  | base = expr DOT name = ident                                    # memberExpr
  | op = MINUS operand = expr                                       # unaryExpr
  | <assoc = right> lhs = expr op = CARET rhs = expr                # binaryExpr
  | lhs = expr op = (STAR | SLASH) rhs = expr                       # binaryExpr
  | lhs = expr op = (PLUS | MINUS) rhs = expr                       # binaryExpr
  | lhs = expr op = COALESCE rhs = expr                             # binaryExpr
  | lhs = expr op = (EQ | NE | LT | LE | GT | GE) rhs = expr        # binaryExpr
  | value = expr negated = NOT? IN target = inTarget                # inExpr
  | operand = expr IS negated = NOT? MISSING                        # isMissingExpr
  | op = NOT operand = expr                                         # unaryExpr
  | lhs = expr op = AND rhs = expr                                  # binaryExpr
  | lhs = expr op = OR rhs = expr                                   # binaryExpr
  | <assoc = right> lhs = expr op = IMPLIES rhs = expr              # binaryExpr
  | IF condition = expr THEN thenValue = expr ELSE elseValue = expr # ifExpr
  | CASE LBRACE arms += caseArm* (ELSE ARROW elseValue = expr)? RBRACE # caseExpr
  ;

inTarget
  : LPAREN items += expr (COMMA items += expr)* RPAREN              # inList
  | PREVIOUS count = INT? unit = ident                              # inPrevious
  | PREVIOUS span = DURATION                                        # inPreviousSpan
  | LAST span = DURATION                                            # inLast
  | name = ident (DOT field = ident)?                                # inName
  | period = PERIOD_LIT                                             # inPeriodLit
  ;

caseArm : condition = expr ARROW value = expr ;

callArgs : distinct = DISTINCT? args += expr (COMMA args += expr)* clauses += aggClause* ;
aggClause
  : WHERE condition = expr                                          # whereClause
  | BY name = ident                                                 # byClause
  | ACROSS name = ident                                             # acrossClause
  | ORDER BY key = expr direction?                                  # orderClause
  ;

// Words that are keywords in one place but ordinary names everywhere else.
ident
  : ID | KEY | TARGET | WEIGHT | PRIORITY | SUBJECT | CADENCE | LAST | PREVIOUS | OUT
  | BELOW | ASC | DESC | MESSAGE | EXPECT | AS_OF | ON | WITHIN | ORDER | DISTINCT | PERIOD_KW
  | CALENDAR | SCORE | VIOLATION | NO | DATED | FORMAT | CURRENCY | REPORT | QUADRANT | FUNNEL
  ;

// ---- lexer ------------------------------------------------------------------------------------

ENTITY     : 'entity' ;
TABLE      : 'table' ;
FROM       : 'from' ;
KEY        : 'key' ;
PARAM      : 'param' ;
GROUP      : 'group' ;
OF         : 'of' ;
BY         : 'by' ;
FN         : 'fn' ;
IMPORT     : 'import' ;
CALENDAR   : 'calendar' ;
CURRENCY   : 'currency' ;
FORMAT     : 'format' ;
FRAMEWORK  : 'framework' ;
SUBJECT    : 'subject' ;
CADENCE    : 'cadence' ;
METRIC     : 'metric' ;
SCORE      : 'score' ;
OUT        : 'out' ;
BAND       : 'band' ;
OBJECTIVE  : 'objective' ;
KEY_RESULT : 'key_result' ;
TARGET     : 'target' ;
BELOW      : 'below' ;
WEIGHT     : 'weight' ;
RANK       : 'rank' ;
WITHIN     : 'within' ;
ASC        : 'asc' ;
DESC       : 'desc' ;
ALERT      : 'alert' ;
ON         : 'on' ;
WHEN       : 'when' ;
MESSAGE    : 'message' ;
PRIORITY   : 'priority' ;
CHECK      : 'check' ;
REPORT     : 'report' ;
QUADRANT   : 'quadrant' ;
FUNNEL     : 'funnel' ;
TEST       : 'test' ;
FOR        : 'for' ;
EXPECT     : 'expect' ;
AS_OF      : 'as_of' | 'as' [ \t]+ 'of' ; // `as of 2017-05-15`, in a test
VIOLATION  : 'violation' ;
NO         : 'no' ;
DATED      : 'dated' ;
PERIOD_KW  : 'period' ;
IF         : 'if' ;
THEN       : 'then' ;
ELSE       : 'else' ;
CASE       : 'case' ;
AND        : 'and' ;
OR         : 'or' ;
NOT        : 'not' ;
IMPLIES    : 'implies' ;
IN         : 'in' ;
IS         : 'is' ;
MISSING    : 'missing' ;
TRUE       : 'true' ;
FALSE      : 'false' ;
WHERE      : 'where' ;
ACROSS     : 'across' ;
ORDER      : 'order' ;
DISTINCT   : 'distinct' ;
PREVIOUS   : 'previous' ;
LAST       : 'last' ;

// A count and a unit, one token so that `5` followed by a name on the next line stays two things.
DURATION   : DIGITS [ \t]+ ('day' | 'days' | 'week' | 'weeks' | 'month' | 'months' | 'quarter'
                          | 'quarters' | 'year' | 'years') ;
DATE       : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
// `FY2018-Q1`: a fiscal quarter, under the program's `calendar` declaration.
PERIOD_LIT : DIGIT DIGIT DIGIT DIGIT '-' ( 'Q' DIGIT | 'W' DIGIT DIGIT? | DIGIT DIGIT )
           | 'FY' DIGIT DIGIT DIGIT DIGIT '-Q' DIGIT ;
MONEY      : ('$' | '€' | '£') DIGITS ('.' DIGITS)? [kKmMbB]? ;
PERCENT    : DIGITS ('.' DIGITS)? '%' ;
DECIMAL    : DIGITS '.' DIGITS ;
INT        : DIGITS ;

// A string keeps its `{expr}` holes; the AST builder has each hole parsed as an expression.
STRING     : '"' ( ESCAPE | HOLE | ~["\\{\r\n] )* '"' ;

ID         : [a-zA-Z_] [a-zA-Z0-9_]* ;

COALESCE   : '??' ;
ARROW      : '=>' ;
EQ         : '==' ;
NE         : '!=' ;
LE         : '<=' ;
GE         : '>=' ;
LT         : '<' ;
GT         : '>' ;
ASSIGN     : '=' ;
PLUS_MINUS : '±' | '+-' ; // a test's tolerance: `166% ± 1%`
PLUS       : '+' ;
MINUS      : '-' ;
STAR       : '*' ;
SLASH      : '/' ;
CARET      : '^' ;
DOTDOT     : '..' ;
DOT        : '.' ;
COMMA      : ',' ;
COLON      : ':' ;
QUESTION   : '?' ;
LPAREN     : '(' ;
RPAREN     : ')' ;
LBRACE     : '{' ;
RBRACE     : '}' ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n\f]+ -> skip ;

// Anything else is one bad character; the parser reports it with its position.
UNKNOWN_CHAR  : . ;

fragment ESCAPE : '\\' . ;
// A hole may hold plain strings (`{owner ?? "nobody"}`), not strings with holes of their own:
// the lexer stays non-recursive, so no input can make it recurse deeply.
fragment HOLE   : '{' ( HOLE_STRING | ~["{}\r\n] )* '}' ;
fragment HOLE_STRING : '"' ( ESCAPE | ~["\\{\r\n] )* '"' ;
fragment DIGIT  : [0-9] ;
fragment DIGITS : DIGIT (DIGIT | '_')* ;
