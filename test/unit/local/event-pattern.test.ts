import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../../infra/local/event-pattern.ts';

const event = {
  source: 'tourniquet.triage',
  'detail-type': 'IncidentDeclared',
  detail: {
    severity: 'P2',
    playbook: 'payment-fraud',
    score: 42,
    tags: ['a', 'b'],
    ip: '10.1.2.3',
    empty: null,
  },
};

describe('EventBridge pattern matching (local bus)', () => {
  it.each([
    ['exact value', { 'detail-type': ['IncidentDeclared'] }, true],
    ['exact value mismatch', { 'detail-type': ['Alert'] }, false],
    ['one of several values', { 'detail-type': ['Alert', 'IncidentDeclared'] }, true],
    ['nested exact', { detail: { playbook: ['payment-fraud'] } }, true],
    ['prefix', { source: [{ prefix: 'tourniquet.' }] }, true],
    ['prefix mismatch', { source: [{ prefix: 'aws.' }] }, false],
    ['suffix', { source: [{ suffix: '.triage' }] }, true],
    ['anything-but list', { detail: { severity: [{ 'anything-but': ['P4'] }] } }, true],
    ['anything-but hit', { detail: { severity: [{ 'anything-but': ['P2', 'P3'] }] } }, false],
    ['anything-but prefix', { source: [{ 'anything-but': { prefix: 'aws.' } }] }, true],
    ['exists true', { detail: { playbook: [{ exists: true }] } }, true],
    ['exists true on missing', { detail: { missing: [{ exists: true }] } }, false],
    ['exists false on missing', { detail: { missing: [{ exists: false }] } }, true],
    ['exists false on present', { detail: { playbook: [{ exists: false }] } }, false],
    ['numeric range', { detail: { score: [{ numeric: ['>', 40, '<=', 42] }] } }, true],
    ['numeric out of range', { detail: { score: [{ numeric: ['>=', 43] }] } }, false],
    ['numeric on a string', { detail: { severity: [{ numeric: ['>', 0] }] } }, false],
    ['array value matches any element', { detail: { tags: ['b'] } }, true],
    ['null matches null', { detail: { empty: [null] } }, true],
    ['cidr', { detail: { ip: [{ cidr: '10.1.0.0/16' }] } }, true],
    ['cidr mismatch', { detail: { ip: [{ cidr: '10.2.0.0/16' }] } }, false],
    ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'incidentdeclared' }] }, true],
    ['$or', { $or: [{ source: ['x'] }, { detail: { severity: ['P2'] } }] }, true],
    [
      'all fields must match',
      { 'detail-type': ['IncidentDeclared'], detail: { severity: ['P4'] } },
      false,
    ],
    ['object pattern against scalar', { source: { nested: ['x'] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('rejects unsupported operators loudly rather than matching silently', () => {
    expect(() => matchesPattern({ source: [{ wildcard: 'x*' }] }, event)).toThrow(/unsupported/);
  });
});
