// A progress line on stderr for long runs, only when stderr is a terminal.

const MIN_TOTAL = 200;
const INTERVAL_MS = 100;

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (total < MIN_TOTAL) return;
      const now = Date.now();
      if (now - last < INTERVAL_MS && done < total) return;
      last = now;
      shown = true;
      stream.write(`\r${label} ${done}/${total} (${Math.floor((100 * done) / total)}%)`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
