// Which loop runs a toxic on a stream: its own when the connection drew it (toxicity), else a plain
// pass-through that keeps its place in the chain.
import type { Toxic } from '../../../shared/chaos/toxics';
import { httpToxic } from './http-toxics';
import { passThrough, STREAM_TOXICS, type ToxicLoop } from './stream-toxics';

const HTTP_TOXICS: Readonly<Record<string, ToxicLoop>> = {
  http_status: httpToxic('http_status'),
  http_abort: httpToxic('http_abort'),
  http_delay: httpToxic('http_delay'),
};

export function toxicLoop(toxic: Toxic, active: boolean): ToxicLoop {
  if (!active) return passThrough;
  const loop = STREAM_TOXICS[toxic.type] ?? HTTP_TOXICS[toxic.type];
  if (!loop) throw new Error(`${toxic.type} is not a stream toxic: it acts on whole connections`);
  return loop;
}
