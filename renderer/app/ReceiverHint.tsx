// Where an OpenTelemetry SDK should send its spans: the studio's own receiver address (it may not be
// the default port), or a plain description while it is not known yet.
import { useStudio } from './store';

export function ReceiverAddress() {
  const receiver = useStudio((s) => s.receiver);
  if (receiver?.http) {
    return (
      <>
        <code>{receiver.http}</code> (OTLP/HTTP{receiver.grpc ? <>, or gRPC at <code>{receiver.grpc}</code></> : null})
      </>
    );
  }
  if (receiver && !receiver.grpc) return <>the studio&apos;s OTLP receiver (it is switched off in this session)</>;
  if (receiver?.grpc) return <><code>{receiver.grpc}</code> (OTLP/gRPC)</>;
  return <>the OTLP receiver address the studio printed when it started</>;
}
