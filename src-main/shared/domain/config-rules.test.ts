import { describe, expect, it } from 'vitest';
import { checkConfig } from './config-rules';
import { defaultConfig } from './default-config';

describe('checkConfig', () => {
  it('accepts the seeded configuration', () => {
    expect(checkConfig(defaultConfig('2026-01-01T00:00:00.000Z'))).toEqual([]);
  });

  it('refuses broken references, duplicate ids and a status that means two things', () => {
    const doc = defaultConfig('2026-01-01T00:00:00.000Z');
    doc.types[0]!.workflowId = 'wf-missing';
    doc.workflows[1]!.states.push({
      id: 'closed',
      label: { 'zh-CN': '关', en: 'Closed' },
      category: 'active',
    });
    doc.directory.users[0]!.teamId = 'team-ghost';
    const paths = checkConfig(doc).map((i) => i.path);
    expect(paths).toContain('types.0.workflowId');
    expect(paths).toContain('workflows.1.states.6.id');
    expect(paths).toContain('workflows.1.states.6.category');
    expect(paths).toContain('directory.users.0.teamId');
  });
});
