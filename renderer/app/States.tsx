// Empty, loading and error states that tell the user what to do next.
import type { ReactNode } from 'react';
import type { Problem } from '../../shared/errors';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state" role="status">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function ErrorState({ title, problem, children }: { title: string; problem: Problem; children?: ReactNode }) {
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      <p>{problem.message}</p>
      <p className="faint mono">{problem.code}</p>
      {children}
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <div className="spinner" />
      <p>{label}</p>
    </div>
  );
}
