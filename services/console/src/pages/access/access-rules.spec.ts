import { describe, expect, it } from 'vitest';
import { auditFilter, grantableRoles, rolesUpTo } from './access-rules';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe('the roles the Access page offers', () => {
  it('lets owners grant any role and admins any role below owner', () => {
    expect(grantableRoles('owner')).toEqual(['viewer', 'editor', 'admin', 'owner']);
    expect(grantableRoles('admin')).toEqual(['viewer', 'editor', 'admin']);
  });

  it('offers a token at most its creator role', () => {
    expect(rolesUpTo('owner')).toEqual(['viewer', 'editor', 'admin', 'owner']);
    expect(rolesUpTo('admin')).toEqual(['viewer', 'editor', 'admin']);
    expect(rolesUpTo('viewer')).toEqual(['viewer']);
  });
});

describe('the audit log filter', () => {
  it('sends only the conditions filled in, times as ISO instants', () => {
    expect(auditFilter(form({ operation: ' ', outcome: '', actor: '', since: '', until: '' }))).toEqual({});
    const since = '2026-12-01T10:30';
    expect(
      auditFilter(form({ operation: ' inviteMember ', outcome: 'error', actor: 'u-1', since, until: '' })),
    ).toEqual({
      operation: 'inviteMember',
      outcome: 'error',
      actorUserId: 'u-1',
      since: new Date(since).toISOString(),
    });
  });

  it('drops a time the browser could not parse rather than sending it', () => {
    expect(auditFilter(form({ until: 'not a time' }))).toEqual({});
  });
});
