export * from './dataplane/cluster-state.js';
export * from './dataplane/dataplane.errors.js';
export { ReferenceDataplane } from './dataplane/reference-dataplane.js';
export * from './evaluate/evaluate.errors.js';
export { evaluateFlow, PolicyEvaluator, type PolicyWorld } from './evaluate/evaluator.js';
export * from './evaluate/trace.js';
export * from './label-index/label-index.js';
export * from './model/endpoint.js';
export * from './model/flow.js';
export * from './model/policy.js';
export * from './model/policy-name.js';
export * from './model/port.js';
export * from './model/protocol.js';
export * from './model/remote-endpoint.js';
export * from './model/rule.js';
export * from './model/tier.js';
export * from './net/ip.js';
export type {
  AllNode,
  AndNode,
  GlobalNode,
  HasNode,
  NotNode,
  OrNode,
  SelectorNode,
  SetMatchNode,
  ValueMatchNode,
  ValueOperator,
} from './selector/ast.js';
/** Constructors that build selector trees in normal form: `selectorAst.and(selectorAst.eq('a', 'x'), ...)`. */
export * as selectorAst from './selector/ast.js';
export * from './selector/compile.js';
export * from './selector/interpret.js';
export { isLabelChar, isValidLabel, MAX_LABEL_LENGTH } from './selector/lexer.js';
export * from './selector/parser.js';
export * from './selector/print.js';
export * from './selector/restrictions.js';
export * from './selector/selector.errors.js';
export * from './selector/selector.js';
export * from './validate/validate-policy.js';
export * from './validate/validate-rule.js';
export * from './validate/validate-selector.js';
export * from './validate/validation-issue.js';
