// The dead-man timer: when whoever drives the proxy (a test run) stops calling in, its faults revert.
// Every API call is a heartbeat; if none comes within `ms`, `expire` runs (the server removes every
// toxic and re-enables every proxy), then the timer sleeps until the next heartbeat.
export class DeadManTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number, private readonly expire: () => void) {}

  beat(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.expire();
    }, this.ms);
    // A lone timer must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
