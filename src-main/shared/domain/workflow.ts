import type {
  ConfigDocument,
  StatusCategory,
  TicketType,
  Workflow,
  WorkflowState,
  WorkflowTransition,
} from '../contract/config';
import { DONE_CATEGORIES } from '../contract/config';

/** Pure look-ups over a configuration document, shared by the core and the renderer. */

export function findType(config: ConfigDocument, typeId: string): TicketType | undefined {
  return config.types.find((t) => t.id === typeId);
}

export function findWorkflow(config: ConfigDocument, workflowId: string): Workflow | undefined {
  return config.workflows.find((w) => w.id === workflowId);
}

export function workflowOfType(config: ConfigDocument, typeId: string): Workflow | undefined {
  const type = findType(config, typeId);
  return type ? findWorkflow(config, type.workflowId) : undefined;
}

export function findState(workflow: Workflow, statusId: string): WorkflowState | undefined {
  return workflow.states.find((s) => s.id === statusId);
}

/** Transitions leaving `status`, in the order the workflow declares them. */
export function transitionsFrom(workflow: Workflow, status: string): WorkflowTransition[] {
  return workflow.transitions.filter(
    (t) => t.to !== status && (t.from.includes('*') || t.from.includes(status)),
  );
}

export function allowedTargets(workflow: Workflow, status: string): string[] {
  return [...new Set(transitionsFrom(workflow, status).map((t) => t.to))];
}

export function isDoneCategory(category: StatusCategory): boolean {
  return DONE_CATEGORIES.includes(category);
}

/** Every status id of every workflow with its category; used to build status filters and projections. */
export function statusCategories(config: ConfigDocument): Map<string, StatusCategory> {
  const out = new Map<string, StatusCategory>();
  for (const wf of config.workflows) {
    for (const s of wf.states) if (!out.has(s.id)) out.set(s.id, s.category);
  }
  return out;
}
