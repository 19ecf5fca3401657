import type { ConfigIssue } from './config-draft';

/** Problems with their configuration paths (`config.knowledge.0.modes.0.sopId`), one per line. */
export function IssueList({
  title,
  issues,
  testId,
}: {
  title: string;
  issues: readonly ConfigIssue[];
  testId: string;
}) {
  return (
    <div className="pc-issues" data-testid={testId}>
      <div className="pc-issues-title">{title}</div>
      <ul>
        {issues.map((issue, i) => (
          <li key={`${issue.path}-${i}`} data-testid="config-issue" data-path={issue.path}>
            {issue.path && <code className="pc-issue-path">{issue.path}</code>}
            <span>{issue.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
