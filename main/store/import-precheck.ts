// The first pass of a streamed OTLP JSON import (main/store/import-stream.ts), run on a file's text
// while it arrives (a studio upload's chunks), so the import does not read the file a second time
// before it stores: the syntax and envelopes are checked as the pieces come in. Only an optimisation:
// when the text is not one clean OTLP request (JSON Lines, another format, a syntax or shape error),
// the precheck gives up quietly and the import runs its own first pass, which reports the problem
// with its file, line and column exactly as it would have.
import { OtlpJsonStream } from '../../shared/otlp/otlp-json-stream';

export class ImportPrecheck {
  private stream: OtlpJsonStream | undefined = new OtlpJsonStream();
  private first = true;

  /** The next piece of the file's text, in order. */
  push(text: string): void {
    if (!this.stream) return;
    try {
      this.stream.scanEnvelopes(this.first ? text.replace(/^\ufeff/, '') : text);
      this.first = false;
    } catch {
      this.stream = undefined; // the import's own first pass meets the same problem and reports it
    }
  }

  /** The checked request, ready for its second pass; undefined when the import must check it itself. */
  end(): OtlpJsonStream | undefined {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return undefined;
    try {
      stream.endEnvelopes();
    } catch {
      return undefined;
    }
    return stream.isOtlp ? stream : undefined;
  }
}
