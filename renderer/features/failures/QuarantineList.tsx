// The Failures view's quarantine list: every test scenario with a pass/fail history in the store,
// flakiest first — quarantined ones marked with since when and why — each execution a small P/F chip
// (oldest first). Only tests that are quarantined or flaky are listed; the rest have nothing to show.
import type { CallResponse } from '../../../shared/ipc/contract';

type Tests = CallResponse<'quarantineList'>['tests'];

export function QuarantineList({ tests, knowledgeDir }: { tests: Tests; knowledgeDir: string }) {
  const shown = tests.filter((t) => t.quarantine !== null || t.flaky);
  return (
    <section className="fail-section fail-quarantine" aria-label="Quarantine">
      <h2>Quarantine and flaky tests</h2>
      {shown.length === 0 ? (
        <p className="muted">No quarantined or flaky test in the stored runs ({tests.length} test scenario{tests.length === 1 ? '' : 's'} with history). The list lives in {knowledgeDir}/quarantine.json.</p>
      ) : (
        <ul className="fail-plain-list">
          {shown.map((t) => (
            <li key={`${t.path}|${t.test}|${t.scenario}`} aria-label={`${t.test} › ${t.scenario}`}>
              <span>
                {t.test} › {t.scenario}
              </span>{' '}
              {t.quarantine ? (
                <span className="chip badge-error" title={t.quarantine.reason}>
                  quarantined since {new Date(t.quarantine.since).toLocaleDateString()} ({t.quarantine.consecutivePasses} passes in a row)
                </span>
              ) : (
                <span className="chip">flaky</span>
              )}{' '}
              <span className="muted">score {t.score.toFixed(2)}</span>{' '}
              <span className="fail-history" role="img" aria-label={`History, oldest first: ${t.outcomes}`}>
                {[...t.outcomes].map((o, i) => (
                  <span key={i} className={'fail-pf ' + (o === 'P' ? 'is-pass' : 'is-fail')}>
                    {o}
                  </span>
                ))}
              </span>
              <div className="faint mono">{t.path}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
