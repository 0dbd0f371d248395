// What a fault type is, as data: its parameters (type, unit, default, valid range), what it needs from
// the environment, and whether it can be undone. The catalog lists these; the validator and the
// `clnrm chaos faults` listing and the studio's inspector all read the same records.

/** What injecting a fault needs: an engine, root on the engine's host (nsenter + iptables), or the fault proxy. */
export type FaultNeed = 'docker' | 'local-engine-root' | 'proxy';

/** Where a fault type comes from: one list per family; `user` = declared in a file's `[chaos.catalog]`. */
export type FaultFamily = 'container' | 'process' | 'resource' | 'network' | 'proxy' | 'user';

interface ParameterBase {
  readonly name: string;
  readonly description: string;
  /** A parameter without a default must be given. */
  readonly required?: boolean;
}

export interface NumberParameter extends ParameterBase {
  readonly type: 'number';
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  readonly default?: number;
}

export interface StringParameter extends ParameterBase {
  readonly type: 'string';
  /** Checked when set, e.g. an absolute path or a process name. */
  readonly pattern?: string;
  readonly default?: string;
}

export interface EnumParameter extends ParameterBase {
  readonly type: 'enum';
  readonly values: readonly string[];
  readonly default?: string;
}

export interface BoolParameter extends ParameterBase {
  readonly type: 'bool';
  readonly default?: boolean;
}

/** Another service of the same run, by its name in the test file. */
export interface ServiceParameter extends ParameterBase {
  readonly type: 'service';
}

export type ParameterSpec = NumberParameter | StringParameter | EnumParameter | BoolParameter | ServiceParameter;

export interface FaultSpec {
  /** The name a test file uses, e.g. "container_pause". */
  readonly id: string;
  readonly family: FaultFamily;
  /** One line, in the user's words. */
  readonly description: string;
  readonly parameters: readonly ParameterSpec[];
  readonly needs: readonly FaultNeed[];
  /** False when nothing can undo it (a killed process stays dead): said up front, before anyone injects it. */
  readonly revertible: boolean;
  /** How it is undone, or why it cannot be. */
  readonly revert: string;
  /** False for a user-declared fault without an injector of ours (listed and validated, not run). */
  readonly injectable: boolean;
}

export type ParameterValue = number | string | boolean;
export type FaultParams = Readonly<Record<string, ParameterValue>>;

/** A number parameter's range as text, e.g. "1–100 %". */
export function describeRange(p: ParameterSpec): string {
  switch (p.type) {
    case 'number':
      return `${p.min}–${p.max}${p.unit ? ` ${p.unit}` : ''}${p.integer ? ' (whole)' : ''}`;
    case 'enum':
      return p.values.join(' | ');
    case 'bool':
      return 'true | false';
    case 'service':
      return 'a service of the run';
    case 'string':
      return p.pattern ? `matching /${p.pattern}/` : 'text';
  }
}
