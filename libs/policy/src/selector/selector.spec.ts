import { describe, expect, it } from 'vitest';
import { compileSelector, type Labels } from './compile.js';
import { interpretSelector } from './interpret.js';
import { parseSelector } from './parser.js';
import { printSelector } from './print.js';
import { SelectorError, type SelectorErrorCode } from './selector.errors.js';

const web: Labels = { app: 'web', tier: 'frontend', env: 'prod', 'k8s.io/name': 'web-1' };
const db: Labels = { app: 'db', tier: 'backend', env: 'staging' };
const none: Labels = {};
const quoted: Labels = { q: 'say "hi"', s: "it's", empty: '' };

/** [selector, labels, expected match] */
const matchCases: ReadonlyArray<readonly [string, Labels, boolean]> = [
  // empty and all()
  ['', web, true],
  ['', none, true],
  ['   ', none, true],
  ['all()', web, true],
  ['all()', none, true],
  ['all( )', none, true],
  ['global()', web, true],
  ['global()', none, true],
  // ==
  ["app == 'web'", web, true],
  ["app == 'web'", db, false],
  ["app == 'web'", none, false],
  ['app == "web"', web, true],
  ["app=='web'", web, true],
  ["app\t==\t'web'", web, true],
  ["app == ''", none, false],
  ["empty == ''", quoted, true],
  ['q == \'say "hi"\'', quoted, true],
  ['s == "it\'s"', quoted, true],
  ["k8s.io/name == 'web-1'", web, true],
  ["APP == 'web'", web, false],
  ["app == 'Web'", web, false],
  // != is true when the label is absent
  ["app != 'web'", web, false],
  ["app != 'web'", db, true],
  ["app != 'web'", none, true],
  ["app!='web'", db, true],
  ["empty != ''", quoted, false],
  ["missing != ''", quoted, true],
  // in / not in
  ["app in {'web', 'db'}", web, true],
  ["app in {'web', 'db'}", db, true],
  ["app in {'web', 'db'}", none, false],
  ["app in {'api'}", web, false],
  ['app in {}', web, false],
  ['app in {}', none, false],
  ["app in {'web',}", web, true],
  ["app in{'web'}", web, true],
  ["app in { 'a', 'b', 'c', 'd', 'web' }", web, true],
  ["app in { 'a', 'b', 'c', 'd', 'e' }", web, false],
  ["app in { 'a', 'b', 'web' }", web, true],
  ["app not in {'web'}", web, false],
  ["app not in {'web'}", db, true],
  ["app not in {'web'}", none, true],
  ['app not in {}', none, true],
  ['app not in {}', web, true],
  ["app notin {'web'}", db, true],
  ["app not  in {'db'}", web, true],
  ["app not in { 'a', 'b', 'c', 'd', 'web' }", web, false],
  // has / !has
  ['has(app)', web, true],
  ['has(app)', none, false],
  ['has( app )', web, true],
  ['has(k8s.io/name)', web, true],
  ['has(empty)', quoted, true],
  ['!has(app)', web, false],
  ['!has(app)', none, true],
  ['! has(app)', none, true],
  // contains / starts with / ends with (false when absent)
  ["app contains 'e'", web, true],
  ["app contains 'x'", web, false],
  ["app contains ''", web, true],
  ["app contains ''", none, false],
  ["app contains 'e'", none, false],
  ["app starts with 'w'", web, true],
  ["app starts with 'e'", web, false],
  ["app starts  with 'w'", web, true],
  ["app starts with 'w'", none, false],
  ["app ends with 'b'", web, true],
  ["app ends with 'w'", web, false],
  ["app ends with 'b'", none, false],
  ["k8s.io/name ends with '-1'", web, true],
  ["!app contains 'e'", web, false],
  ["!app starts with 'x'", none, true],
  // negation
  ["!app == 'web'", web, false],
  ["!app == 'web'", none, true],
  ["!(app == 'web')", db, true],
  ["!!(app == 'web')", web, true],
  ["!!!(app == 'web')", web, false],
  ["!app != 'web'", web, true],
  ["!app != 'web'", none, false],
  ["!app in {'web'}", none, true],
  ["!app not in {'web'}", none, false],
  ['!all()', web, false],
  // && and ||
  ["app == 'web' && env == 'prod'", web, true],
  ["app == 'web' && env == 'staging'", web, false],
  ["app == 'web' || app == 'db'", db, true],
  ["app == 'web' || app == 'db'", none, false],
  ["app == 'x' || app == 'y' || env == 'prod'", web, true],
  ["app == 'web' && env == 'prod' && tier == 'frontend'", web, true],
  ["app == 'web' && env == 'prod' && tier == 'backend'", web, false],
  ["app == 'web'&&env == 'prod'", web, true],
  ["app == 'web'||app == 'db'", db, true],
  ['has(app) && !has(tier)', web, false],
  ['has(app) && !has(nope)', web, true],
  ['has(a) || has(b) || has(c) || has(app)', web, true],
  ['has(a) && has(b) && has(c) && has(app)', web, false],
  // precedence: && binds tighter than ||, ! tighter than &&
  ["app == 'db' && env == 'x' || tier == 'frontend'", web, true],
  ["app == 'db' && (env == 'x' || tier == 'frontend')", web, false],
  ["tier == 'frontend' || app == 'db' && env == 'x'", web, true],
  ["(tier == 'frontend' || app == 'db') && env == 'x'", web, false],
  ["!has(app) || env == 'prod'", web, true],
  ["!(has(app) || env == 'prod')", web, false],
  ["!has(app) && env == 'prod'", web, false],
  ["!(has(app) && env == 'nope')", web, true],
  ["((app == 'web'))", web, true],
  ["( app == 'web' )", web, true],
  ["(app == 'web') && ((env == 'prod') || (env == 'dev'))", web, true],
  ["all() && app == 'db'", web, false],
  ['all() || has(nope)', none, true],
  // labels that look like keywords are just labels
  ["has == 'x'", { has: 'x' }, true],
  ["all == 'x'", { all: 'x' }, true],
  ["in == 'x'", { in: 'x' }, true],
  ["not in {'x'}", { not: 'x' }, true], // the label 'not', then 'in'
  ["contains contains 'x'", { contains: 'xx' }, true],
  ['has(in)', { in: '' }, true],
  // keys inherited from Object.prototype are not labels
  ['has(constructor)', none, false],
  ['has(toString)', none, false],
  ['has(__proto__)', none, false],
  ["constructor != 'x'", none, true],
  ["constructor not in {'x'}", none, true],
  ["toString contains 'function'", none, false],
  ["toString in { 'a', 'b', 'c', 'd', 'e' }", none, false],
];

/** [input, canonical form] */
const canonicalCases: ReadonlyArray<readonly [string, string]> = [
  ['', 'all()'],
  ['all( )', 'all()'],
  ['global( )', 'global()'],
  ["app=='web'", 'app == "web"'],
  ['q == \'say "hi"\'', 'q == \'say "hi"\''],
  ["app!='x'", 'app != "x"'],
  ["app in {'b','a','b'}", 'app in {"a", "b"}'],
  ["app notin {'b', 'a',}", 'app not in {"a", "b"}'],
  ['app in {}', 'app in {}'],
  ["app contains'x'", 'app contains "x"'],
  ["app starts   with 'x'", 'app starts with "x"'],
  ["app ends with 'x'", 'app ends with "x"'],
  ['has( a )', 'has(a)'],
  ['!!has(a)', 'has(a)'],
  ['!(!has(a))', 'has(a)'],
  ["b == 'x' && a == 'y'", 'a == "y" && b == "x"'],
  ["a == 'y' && b == 'x'", 'a == "y" && b == "x"'],
  ['has(a) && has(a)', 'has(a)'],
  ['(has(a) && has(b)) && has(c)', 'has(a) && has(b) && has(c)'],
  ['has(a) && (has(b) && has(c))', 'has(a) && has(b) && has(c)'],
  ['has(a) || has(b) && has(c)', 'has(a) || has(b) && has(c)'],
  ['(has(a) || has(b)) && has(c)', 'has(c) && (has(a) || has(b))'],
  ["!has(z) && a == 'x' && (has(b) || has(c))", '!has(z) && a == "x" && (has(b) || has(c))'],
  ['!(has(a) || has(b))', '!(has(a) || has(b))'],
  ['!(has(a) && has(b))', '!(has(a) && has(b))'],
  ['has(c) || (has(b) || has(a))', 'has(a) || has(b) || has(c)'],
];

/** [input, code, position, message fragment] */
const errorCases: ReadonlyArray<readonly [string, SelectorErrorCode, number, string]> = [
  ['app == web', 'EXPECTED_STRING', 7, "expected a quoted string after '==' but found label 'web'"],
  ['app ==', 'EXPECTED_STRING', 6, "expected a quoted string after '==' but found the end of the selector"],
  ['app != ', 'EXPECTED_STRING', 7, "after '!='"],
  ['app contains 3', 'EXPECTED_STRING', 13, "after 'contains'"],
  ['app starts with (', 'EXPECTED_STRING', 16, "after 'starts with'"],
  ['app = "web"', 'INCOMPLETE_OPERATOR', 4, "expected '==' but found a single '='"],
  ['has(a) & has(b)', 'INCOMPLETE_OPERATOR', 7, "expected '&&'"],
  ['has(a) | has(b)', 'INCOMPLETE_OPERATOR', 7, "expected '||'"],
  ["app == 'web", 'UNTERMINATED_STRING', 7, 'unterminated string literal'],
  ['app == "web', 'UNTERMINATED_STRING', 7, 'no closing "'],
  ["app in {'a', 'b}", 'UNTERMINATED_STRING', 13, 'unterminated'],
  ['app', 'EXPECTED_OPERATOR', 3, "after label 'app' but found the end of the selector"],
  ["app is 'x'", 'EXPECTED_OPERATOR', 4, 'expected an operator'],
  ["app starts 'x'", 'EXPECTED_OPERATOR', 11, "expected 'with' after 'starts'"],
  ["app ends 'x'", 'EXPECTED_OPERATOR', 9, "expected 'with' after 'ends'"],
  ["app not {'x'}", 'EXPECTED_OPERATOR', 8, "expected 'in' after 'not'"],
  ["app in 'x'", 'EXPECTED_SET', 7, "expected '{' to start a set"],
  ["app in {'x' 'y'}", 'EXPECTED_CLOSING_BRACE', 12, "expected ',' or '}'"],
  ["app in {'x'", 'EXPECTED_CLOSING_BRACE', 11, 'the end of the selector'],
  ['app in {x}', 'EXPECTED_CLOSING_BRACE', 8, "label 'x'"],
  ['has()', 'EXPECTED_LABEL', 4, "expected a label name inside 'has('"],
  ['has(a', 'EXPECTED_CLOSING_PAREN', 5, "expected ')' to close 'has(a'"],
  ['has(a b)', 'EXPECTED_CLOSING_PAREN', 6, "expected ')'"],
  ['has (a)', 'EXPECTED_OPERATOR', 4, "after label 'has'"],
  ['all(x)', 'EXPECTED_CLOSING_PAREN', 4, "expected ')' after 'all('"],
  ['global(', 'EXPECTED_CLOSING_PAREN', 7, "after 'global('"],
  ["(app == 'x'", 'EXPECTED_CLOSING_PAREN', 11, "expected ')' to close the '(' at position 0"],
  ["((app == 'x')", 'EXPECTED_CLOSING_PAREN', 13, "'(' at position 0"],
  ["app == 'x')", 'UNEXPECTED_INPUT', 10, "expected '&&', '||' or the end of the selector but found ')'"],
  ["app == 'x' b == 'y'", 'UNEXPECTED_INPUT', 11, "found label 'b'"],
  ["app == 'x' &&", 'EXPECTED_EXPRESSION', 13, 'but found the end of the selector'],
  ["&& app == 'x'", 'UNEXPECTED_INPUT', 0, "found '&&'"],
  ['!', 'EXPECTED_EXPRESSION', 1, 'expected a label comparison'],
  ['()', 'UNEXPECTED_INPUT', 1, "found ')'"],
  ["'x' == app", 'UNEXPECTED_INPUT', 0, 'found string "x"'],
  ["app == 'x' || || has(b)", 'UNEXPECTED_INPUT', 14, "found '||'"],
  ["app == 'x'\n&& has(b)", 'UNEXPECTED_CHARACTER', 10, 'line break'],
  ["app == 'x' ; has(b)", 'UNEXPECTED_CHARACTER', 11, "unexpected character ';'"],
  ['app@x == "y"', 'EXPECTED_OPERATOR', 3, 'expected an operator'],
  [`${'a'.repeat(513)} == 'x'`, 'LABEL_TOO_LONG', 0, 'limit is 512'],
];

describe('selector matching (parsed, compiled and interpreted)', () => {
  it.each(matchCases)('%j against %j → %s', (text, labels, expected) => {
    const node = parseSelector(text);
    expect(compileSelector(node)(labels)).toBe(expected);
    expect(interpretSelector(node, labels)).toBe(expected);
  });
});

describe('canonical printing', () => {
  it.each(canonicalCases)('%j prints as %j', (text, canonical) => {
    const node = parseSelector(text);
    expect(printSelector(node)).toBe(canonical);
    expect(parseSelector(canonical)).toEqual(node);
    expect(printSelector(parseSelector(canonical))).toBe(canonical);
  });

  it('gives equal selectors written differently the same canonical form', () => {
    const spellings = [
      "env == 'prod' && (app == 'web' || app == 'api')",
      '(app=="api"||app=="web")&&env=="prod"',
      "((app == 'web') || (app == 'api')) && env == 'prod' && env == 'prod'",
    ];
    const canonical = new Set(spellings.map((text) => printSelector(parseSelector(text))));
    expect([...canonical]).toEqual(['env == "prod" && (app == "api" || app == "web")']);
  });
});

describe('selector errors', () => {
  it.each(errorCases)('%j fails with %s at position %i', (text, code, position, fragment) => {
    let caught: unknown;
    try {
      parseSelector(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SelectorError);
    const error = caught as SelectorError;
    expect({ code: error.code, position: error.position }).toEqual({ code, position });
    expect(error.message).toContain(fragment);
    expect(error.message).toMatch(new RegExp(`at position ${position}$`));
  });

  it('reads as a sentence a user can act on', () => {
    expect(() => parseSelector('app == web')).toThrow(
      "expected a quoted string after '==' but found label 'web' at position 7",
    );
  });

  it('refuses to print a value holding both kinds of quote', () => {
    expect(() => printSelector({ kind: 'eq', label: 'a', value: `'"` })).toThrow(SelectorError);
  });
});

it('has at least 150 table cases', () => {
  expect(matchCases.length + canonicalCases.length + errorCases.length).toBeGreaterThanOrEqual(150);
});
