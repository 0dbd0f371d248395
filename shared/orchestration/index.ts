// Pure orchestration planning shared by the runner (main/) and the UI's previews (renderer/).
export { planStartOrder } from './dag';
export type { DependencyEdge, DependencyNode, PlanResult, StartPlan } from './dag';
