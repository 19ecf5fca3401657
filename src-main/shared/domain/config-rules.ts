import type { ConfigDocument } from '../contract/config';

export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * Cross-references zod cannot express: ids unique, every reference resolves, every workflow can
 * reach a done state. A document with issues is never published.
 */
export function checkConfig(doc: ConfigDocument): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const dupes = (ids: string[], path: string): void => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) issues.push({ path: `${path}.${i}.id`, message: `duplicate id ${id}` });
      seen.add(id);
    });
  };
  dupes(
    doc.types.map((t) => t.id),
    'types',
  );
  dupes(
    doc.workflows.map((w) => w.id),
    'workflows',
  );
  dupes(
    doc.slaPolicies.map((p) => p.id),
    'slaPolicies',
  );
  dupes(
    doc.directory.departments.map((d) => d.id),
    'directory.departments',
  );
  dupes(
    doc.directory.teams.map((d) => d.id),
    'directory.teams',
  );
  dupes(
    doc.directory.users.map((d) => d.id),
    'directory.users',
  );

  const workflows = new Set(doc.workflows.map((w) => w.id));
  const policies = new Set(doc.slaPolicies.map((p) => p.id));
  doc.types.forEach((t, i) => {
    if (!workflows.has(t.workflowId))
      issues.push({ path: `types.${i}.workflowId`, message: `unknown workflow ${t.workflowId}` });
    if (!policies.has(t.slaPolicyId))
      issues.push({ path: `types.${i}.slaPolicyId`, message: `unknown SLA policy ${t.slaPolicyId}` });
    dupes(
      t.fields.map((f) => f.key),
      `types.${i}.fields`,
    );
    t.fields.forEach((f, j) => {
      if ((f.kind === 'select' || f.kind === 'multiselect') && !f.options?.length) {
        issues.push({ path: `types.${i}.fields.${j}.options`, message: 'a select field needs options' });
      }
    });
  });

  doc.workflows.forEach((wf, i) => {
    const states = new Set(wf.states.map((s) => s.id));
    dupes(
      wf.states.map((s) => s.id),
      `workflows.${i}.states`,
    );
    if (!states.has(wf.initial))
      issues.push({ path: `workflows.${i}.initial`, message: `unknown state ${wf.initial}` });
    wf.transitions.forEach((tr, j) => {
      if (!states.has(tr.to))
        issues.push({ path: `workflows.${i}.transitions.${j}.to`, message: `unknown state ${tr.to}` });
      tr.from.forEach((f, k) => {
        if (f !== '*' && !states.has(f)) {
          issues.push({ path: `workflows.${i}.transitions.${j}.from.${k}`, message: `unknown state ${f}` });
        }
      });
    });
    if (!wf.states.some((s) => s.category === 'resolved' || s.category === 'closed')) {
      issues.push({ path: `workflows.${i}.states`, message: 'a workflow needs a resolved or closed state' });
    }
  });

  // A status id means one thing everywhere: boards count and sort tickets by it across types.
  const categoryOf = new Map<string, { category: string; workflow: string }>();
  doc.workflows.forEach((wf, i) =>
    wf.states.forEach((st, j) => {
      const seen = categoryOf.get(st.id);
      if (!seen) categoryOf.set(st.id, { category: st.category, workflow: wf.id });
      else if (seen.category !== st.category) {
        issues.push({
          path: `workflows.${i}.states.${j}.category`,
          message: `state ${st.id} is "${st.category}" here but "${seen.category}" in workflow ${seen.workflow}`,
        });
      }
    }),
  );

  dupes(
    doc.deviceKinds.map((k) => k.id),
    'deviceKinds',
  );
  doc.deviceKinds.forEach((k, i) => {
    dupes(
      k.metrics.map((m) => m.key),
      `deviceKinds.${i}.metrics`,
    );
    k.metrics.forEach((m, j) => {
      const at = `deviceKinds.${i}.metrics.${j}`;
      if (m.min >= m.max) issues.push({ path: `${at}.max`, message: 'max must be above min' });
      if ((m.warn === null) !== (m.alarm === null))
        issues.push({ path: `${at}.alarm`, message: 'give both warn and alarm, or neither' });
      if (m.warn !== null && m.alarm !== null && (m.higherIsWorse ? m.alarm <= m.warn : m.alarm >= m.warn)) {
        issues.push({
          path: `${at}.alarm`,
          message: m.higherIsWorse ? 'alarm must be above warn' : 'alarm must be below warn',
        });
      }
    });
  });

  const departments = new Set(doc.directory.departments.map((d) => d.id));
  const teams = new Set(doc.directory.teams.map((t) => t.id));
  doc.directory.teams.forEach((t, i) => {
    if (!departments.has(t.departmentId)) {
      issues.push({
        path: `directory.teams.${i}.departmentId`,
        message: `unknown department ${t.departmentId}`,
      });
    }
  });
  doc.directory.users.forEach((u, i) => {
    if (!teams.has(u.teamId))
      issues.push({ path: `directory.users.${i}.teamId`, message: `unknown team ${u.teamId}` });
  });
  return issues;
}
