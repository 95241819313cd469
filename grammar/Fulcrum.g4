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
  ;

// ---- data -------------------------------------------------------------------------------------

entityDecl : ENTITY ident (FROM STRING)? LBRACE fieldDecl* RBRACE ;
tableDecl  : TABLE ident (FROM STRING)? LBRACE fieldDecl* RBRACE ;
fieldDecl  : KEY? ident COLON typeRef (ASSIGN columnName)? ;
columnName : ident | STRING ;
typeRef    : ident QUESTION? ;

paramDecl  : PARAM ident COLON typeRef (ASSIGN expr)? ;
groupDecl  : GROUP ident OF ident BY ident ;
fnDecl     : FN ident LPAREN (fnParam (COMMA fnParam)*)? RPAREN COLON typeRef ASSIGN expr ;
fnParam    : ident COLON typeRef ;
importDecl : IMPORT STRING ;

// ---- frameworks -------------------------------------------------------------------------------

frameworkDecl : frameworkHead member* RBRACE ;
// The parse driver also reads a framework piecewise (head, members, `}`) to bound memory.
frameworkHead : FRAMEWORK ident STRING? LBRACE ;
frameworkEnd  : RBRACE ;

member
  : SUBJECT ident                                                   # subjectMember
  | CADENCE ident                                                   # cadenceMember
  | METRIC ident (COLON typeRef)? ASSIGN expr                       # metricMember
  | SCORE ident OUT OF outOf = (INT | DECIMAL) LBRACE component* RBRACE # scoreMember
  | BAND ident ASSIGN expr                                          # bandMember
  | OBJECTIVE STRING (WEIGHT PERCENT)? LBRACE keyResult* RBRACE     # objectiveMember
  | RANK ident BY expr direction? (WITHIN ident)?                   # rankMember
  | ALERT ident STRING? alertTrigger MESSAGE STRING (PRIORITY expr)? # alertMember
  | CHECK STRING COLON expr                                         # checkMember
  ;

component  : ident PERCENT ASSIGN expr ;
keyResult  : KEY_RESULT ident STRING? ASSIGN expr TARGET BELOW? expr (WEIGHT PERCENT)? ;
direction  : ASC | DESC ;
alertTrigger
  : ON ident (WHERE expr)?                                          # onTrigger
  | WHEN expr                                                       # whenTrigger
  ;

// ---- tests ------------------------------------------------------------------------------------

testDecl : TEST STRING FOR ident LBRACE testItem* RBRACE ;
testItem
  : PERIOD_KW expr                                                  # testPeriod
  | AS_OF expr                                                      # testAsOf
  | PARAM ident ASSIGN expr                                         # testParam
  | EXPECT expr LBRACE fieldInits? RBRACE                           # testExpect
  | ident LBRACE fieldInits? RBRACE                                 # testRow
  ;
fieldInits : fieldInit (COMMA fieldInit)* COMMA? ;
fieldInit  : ident COLON expr ;

// ---- expressions (lowest precedence last) -----------------------------------------------------

// Leaves are alternatives of `expr` itself (no separate rule): one parse-tree node less per
// leaf, which is most of the nodes in a large file.
expr
  : (INT | DECIMAL)                                                 # numberLit
  | PERCENT                                                         # percentLit
  | MONEY                                                           # moneyLit
  | DATE                                                            # dateLit
  | PERIOD_LIT                                                      # periodLit
  | DURATION                                                        # durationLit
  | STRING                                                          # stringLit
  | (TRUE | FALSE)                                                  # boolLit
  | MISSING                                                         # missingLit
  | ident LPAREN callArgs? RPAREN                                   # callExpr
  | ident                                                           # nameExpr
  | LPAREN expr RPAREN                                              # parenExpr
  | expr DOT ident                                                  # memberExpr
  | MINUS expr                                                      # negateExpr
  | <assoc = right> expr CARET expr                                 # powerExpr
  | expr op = (STAR | SLASH) expr                                   # mulExpr
  | expr op = (PLUS | MINUS) expr                                   # addExpr
  | expr COALESCE expr                                              # coalesceExpr
  | expr op = (EQ | NE | LT | LE | GT | GE) expr                    # compareExpr
  | expr NOT? IN inTarget                                           # inExpr
  | expr IS NOT? MISSING                                            # isMissingExpr
  | NOT expr                                                        # notExpr
  | expr AND expr                                                   # andExpr
  | expr OR expr                                                    # orExpr
  | <assoc = right> expr IMPLIES expr                               # impliesExpr
  | IF expr THEN expr ELSE expr                                     # ifExpr
  | CASE LBRACE caseArm* (ELSE ARROW expr)? RBRACE                  # caseExpr
  ;

inTarget
  : LPAREN expr (COMMA expr)* RPAREN                                # inList
  | PREVIOUS INT? ident                                             # inPrevious
  | PREVIOUS DURATION                                               # inPreviousSpan
  | LAST DURATION                                                   # inLast
  | ident                                                           # inName
  | PERIOD_LIT                                                      # inPeriodLit
  ;

caseArm : expr ARROW expr ;

callArgs : DISTINCT? expr (COMMA expr)* aggClause* ;
aggClause
  : WHERE expr                                                      # whereClause
  | BY ident                                                        # byClause
  | ACROSS ident                                                    # acrossClause
  | ORDER BY expr direction?                                        # orderClause
  ;

// Words that are keywords in one place but ordinary names everywhere else.
ident
  : ID | KEY | TARGET | WEIGHT | PRIORITY | SUBJECT | CADENCE | LAST | PREVIOUS | OUT
  | BELOW | ASC | DESC | MESSAGE | EXPECT | AS_OF | ON | WITHIN | ORDER | DISTINCT | PERIOD_KW
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
TEST       : 'test' ;
FOR        : 'for' ;
EXPECT     : 'expect' ;
AS_OF      : 'as_of' ;
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
PERIOD_LIT : DIGIT DIGIT DIGIT DIGIT '-' ( 'Q' DIGIT | 'W' DIGIT DIGIT? | DIGIT DIGIT ) ;
MONEY      : '$' DIGITS ('.' DIGITS)? [kKmMbB]? ;
PERCENT    : DIGITS ('.' DIGITS)? '%' ;
DECIMAL    : DIGITS '.' DIGITS ;
INT        : DIGITS ;

// A string keeps its `{expr}` holes; the AST builder parses each hole as an expression.
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
PLUS       : '+' ;
MINUS      : '-' ;
STAR       : '*' ;
SLASH      : '/' ;
CARET      : '^' ;
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
