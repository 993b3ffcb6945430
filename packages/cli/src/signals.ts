const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Makes the CLI the only one to decide what SIGINT/SIGTERM do while `handler` is installed: a library's
 * listener that exits as soon as its own cleanup is done would cut our HTTP server, worker and connections
 * short, with an exit code that depends on the race. The CLI owns its process, so it removes those
 * listeners and stops everything itself (the embedded database last, once the module is closed).
 * Returns a function that puts the previous listeners back.
 */
export function takeOverSignals(handler: (signal: (typeof SIGNALS)[number]) => void): () => void {
  const previous = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const ours = new Map(SIGNALS.map((signal) => [signal, () => handler(signal)]));
  for (const signal of SIGNALS) {
    process.removeAllListeners(signal);
    process.once(signal, ours.get(signal)!);
  }
  return () => {
    for (const signal of SIGNALS) {
      process.off(signal, ours.get(signal)!);
      for (const listener of previous.get(signal)!) process.on(signal, listener as () => void);
    }
  };
}
