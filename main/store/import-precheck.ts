// The first pass of a streamed OTLP JSON import (main/store/import-stream.ts), run on a file's text
// while it arrives (a studio upload's chunks), so the import does not read the file a second time
// before it stores: the syntax and envelopes are checked as the pieces come in. Only an optimisation:
// when the text is not one clean OTLP request (JSON Lines, another format, a syntax or shape error),
// the precheck gives up quietly and the import runs its own first pass, which reports the problem
// with its file, line and column exactly as it would have.
import { StringDecoder } from 'node:string_decoder';
import { OtlpJsonStream } from '../../shared/otlp/otlp-json-stream';

export class ImportPrecheck {
  private stream: OtlpJsonStream | undefined = new OtlpJsonStream();
  /** Keeps a character cut between two pieces until its last byte arrives. */
  private readonly decoder = new StringDecoder('utf8');
  private first = true;

  /** The next piece of the file, in order, cut anywhere. */
  push(bytes: Uint8Array): void {
    this.scan(this.decoder.write(bytes));
  }

  /** The checked request, ready for its second pass; undefined when the import must check it itself. */
  end(): OtlpJsonStream | undefined {
    this.scan(this.decoder.end());
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

  private scan(text: string): void {
    if (!this.stream || text === '') return;
    try {
      this.stream.scanEnvelopes(this.first ? text.replace(/^\ufeff/, '') : text);
      this.first = false;
    } catch {
      this.stream = undefined; // the import's own first pass meets the same problem and reports it
    }
  }
}
