/**
 * A macrotask yield for the workers' loops: on wasm, `await data()` resolves in a microtask and a
 * loop of them would starve the message queue (a pause or cancel would never land). A MessageChannel
 * post runs after pending messages without setTimeout's 4 ms clamp. Works in Node too (tests).
 */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
// Node keeps a process alive while a port is referenced; the workers and tests must be able to exit.
(channel.port1 as unknown as { unref?: () => void }).unref?.();

export function yieldToEvents(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}
