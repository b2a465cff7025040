import { badRequest } from './kube-api.errors.js';

export type LabelRequirement =
  | { key: string; operator: 'Exists' | 'DoesNotExist' }
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Gt' | 'Lt'; value: number };

/** A parsed label selector: every requirement must hold (an empty list matches everything). */
export type LabelSelector = LabelRequirement[];

const KEY = `[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = `(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;

const EXISTS = new RegExp(`^(${KEY})$`);
const DOES_NOT_EXIST = new RegExp(`^!\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const COMPARISON = new RegExp(`^(${KEY})\\s*(>|<)\\s*(-?\\d+)$`);
const SET_VALUE = new RegExp(`^${VALUE}$`);

/** Splits on commas that are not inside `( )`, as `a in (x,y),b` needs. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

function parseSetValues(list: string, selector: string): string[] {
  const values = list.split(',').map((value) => value.trim());
  if (values.some((value) => !SET_VALUE.test(value))) {
    throw badRequest(`unable to parse requirement: invalid label value in "${selector}"`);
  }
  return values;
}

function parseRequirement(text: string, selector: string): LabelRequirement {
  let match = DOES_NOT_EXIST.exec(text);
  if (match) return { key: match[1]!, operator: 'DoesNotExist' };
  match = SET.exec(text);
  if (match) {
    const operator = match[2] === 'in' ? 'In' : 'NotIn';
    return { key: match[1]!, operator, values: parseSetValues(match[3]!, selector) };
  }
  match = EQUALITY.exec(text);
  if (match) return { key: match[1]!, operator: match[2] === '!=' ? 'NotIn' : 'In', values: [match[3]!] };
  match = COMPARISON.exec(text);
  if (match) return { key: match[1]!, operator: match[2] === '>' ? 'Gt' : 'Lt', value: Number(match[3]) };
  match = EXISTS.exec(text);
  if (match) return { key: match[1]!, operator: 'Exists' };
  throw badRequest(`unable to parse requirement: found '${text}' in label selector "${selector}"`);
}

/**
 * Parses the `labelSelector` query parameter: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k` (exists), `!k` (does not exist) and `k>n`/`k<n`, joined by commas. Throws 400 BadRequest.
 */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  if (selector === undefined || selector.trim() === '') return [];
  return splitRequirements(selector).map((text) => parseRequirement(text, selector));
}

function requirementHolds(requirement: LabelRequirement, labels: Record<string, string>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'In':
      return present && requirement.values.includes(value!);
    case 'NotIn':
      return !present || !requirement.values.includes(value!);
    case 'Gt':
    case 'Lt': {
      const number = Number(value);
      if (!present || !Number.isInteger(number)) return false;
      return requirement.operator === 'Gt' ? number > requirement.value : number < requirement.value;
    }
  }
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return selector.every((requirement) => requirementHolds(requirement, labels ?? {}));
}
