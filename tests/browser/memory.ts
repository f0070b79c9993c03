/**
 * Memory of a page and of its workers, after a forced garbage collection, through the Chrome DevTools
 * Protocol: the page's session measures the page (with its same-origin iframes: one V8 isolate), and
 * auto-attaches (not flattened) to its dedicated workers, each with its own isolate, measured by
 * messages sent through the page's session.
 */
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';

export interface HeapFigure {
  /** What was measured: 'page', or the worker's script URL. */
  label: string;
  /** Bytes of the V8 heap in use after a garbage collection. */
  used: number;
  /** Bytes outside it behind array buffers (a wasm backend's memory among them) and external strings. */
  backing: number;
}

interface AttachedWorker {
  sessionId: string;
  url: string;
}

export interface MemoryProbe {
  /** The page's isolate and each dedicated worker's, after a full GC of each. */
  heaps(): Promise<HeapFigure[]>;
  close(): Promise<void>;
}

export async function memoryProbe(page: Page): Promise<MemoryProbe> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const workers = new Map<string, AttachedWorker>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workers.set(e.sessionId, { sessionId: e.sessionId, url: e.targetInfo.url });
  });
  cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId ?? ''));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const reply = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = reply.id === undefined ? undefined : pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id!);
    if (reply.error) waiter.reject(new Error(reply.error.message));
    else waiter.resolve(reply.result);
  });
  const sendTo = (sessionId: string, method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });

  return {
    async heaps() {
      await cdp.send('HeapProfiler.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      const page = await cdp.send('Runtime.getHeapUsage');
      const out: HeapFigure[] = [{ label: 'page', used: page.usedSize, backing: page.backingStorageSize }];
      for (const w of workers.values()) {
        await sendTo(w.sessionId, 'HeapProfiler.collectGarbage');
        const usage = (await sendTo(w.sessionId, 'Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize: number };
        out.push({ label: w.url, used: usage.usedSize, backing: usage.backingStorageSize });
      }
      return out;
    },
    close: () => cdp.detach(),
  };
}

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MB`;

/**
 * The browser's processes (SystemInfo.getProcessInfo) and the memory each holds on its own, PSS from
 * /proc (Linux; the browser runs on this machine), in bytes. Shared pages are split among the processes.
 */
export async function processMemory(browser: Browser): Promise<{ type: string; pid: number; pss: number }[]> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  return processInfo.map((p) => {
    let pss = NaN;
    try {
      const kb = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8'));
      if (kb) pss = Number(kb[1]) * 1024;
    } catch {
      /* gone, or not ours to read */
    }
    return { type: p.type, pid: p.id, pss };
  });
}
