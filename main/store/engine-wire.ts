// The messages between a trace store and its writer thread, and how errors cross (a StudioError
// keeps its Problem, so codes survive the thread boundary).
import { StudioError, type Problem } from '../../shared/errors';
import type { EngineCall, EngineInit, EngineOpenOptions } from './store-engine';
import type { RowBatch } from './row-batch';

export type ToWorker =
  | { t: 'open'; options: EngineOpenOptions }
  | { t: 'origin'; id: number; resource: string; scope: string }
  | { t: 'rows'; batch: RowBatch }
  | { t: 'flush' }
  | { t: 'call'; id: number; name: EngineCall; args: unknown[] }
  | { t: 'close' };

export interface WireError {
  message: string;
  problem?: Problem;
}

export type FromWorker =
  | { t: 'opened'; init: EngineInit }
  | { t: 'openFailed'; error: WireError }
  | { t: 'result'; id: number; value: unknown }
  | { t: 'failed'; id: number; error: WireError }
  | { t: 'persistError'; rows: number; error: WireError }
  /** The writer thread has taken this many rows off its queue into the appender. */
  | { t: 'appended'; rows: number }
  | { t: 'closed' };

export function errorToWire(error: unknown): WireError {
  if (error instanceof StudioError) return { message: error.message, problem: error.problem };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function errorFromWire(error: WireError): Error {
  return error.problem ? new StudioError(error.problem) : new Error(error.message);
}
