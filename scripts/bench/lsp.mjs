// A minimal LSP client over stdio for benchmarks: JSON-RPC framing by hand, so that every message
// is time-stamped the moment it is read, with no library in between.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

export const uriOf = (filePath) => pathToFileURL(filePath).href;

/** Peak resident set size of a live process, in MiB (VmHWM), or undefined once it has exited. */
export function peakRssMB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class LspProcess {
  /**
   * @param {string} command
   * @param {string[]} args
   * @param {{ onRequest?: (method: string, params: any) => any, cwd?: string, env?: object }} options
   */
  constructor(command, args, options = {}) {
    this.spawnedAt = performance.now();
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd, env: options.env ?? process.env });
    this.pid = this.child.pid;
    this.onRequest = options.onRequest ?? (() => null);
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    this.stderr = '';
    this.exited = false;
    this.buffer = Buffer.alloc(0);
    this.child.stdout.on('data', (chunk) => this.receive(chunk));
    this.child.stderr.on('data', (chunk) => {
      if (this.stderr.length < 20000) this.stderr += chunk.toString();
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const { reject } of this.pending.values()) reject(new Error(`server exited; stderr: ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
    this.child.stdin.on('error', () => undefined);
  }

  receive(chunk) {
    const at = performance.now();
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length:\s*(\d+)/i.exec(header);
      if (!match) throw new Error(`bad LSP header: ${header}`);
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(JSON.parse(body), at);
    }
  }

  dispatch(message, at) {
    if (message.method !== undefined && message.id !== undefined) {
      // A request from the server.
      Promise.resolve()
        .then(() => this.onRequest(message.method, message.params))
        .then(
          (result) => this.write({ jsonrpc: '2.0', id: message.id, result: result ?? null }),
          (error) => this.write({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: String(error) } }),
        );
      return;
    }
    if (message.method !== undefined) {
      for (const listener of [...this.listeners]) listener(message, at);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
  }

  write(message) {
    if (this.exited) return;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Sends a notification and returns the time it was handed to the pipe. */
  notify(method, params) {
    const at = performance.now();
    this.write({ jsonrpc: '2.0', method, params });
    return at;
  }

  /** Calls `listener(message, receivedAt)` for every notification from the server; returns an unsubscribe. */
  onNotification(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the receive time of the first notification matching `predicate`, or rejects
   * after `timeoutMs`.
   */
  waitForNotification(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const off = this.onNotification((message, at) => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        off();
        resolve({ at, message });
      });
    });
  }

  /** Resolves once no notification has arrived for `quietMs` (bounded by `timeoutMs`). */
  async quiet(quietMs, timeoutMs) {
    let last = performance.now();
    const off = this.onNotification(() => {
      last = performance.now();
    });
    const deadline = performance.now() + timeoutMs;
    try {
      while (performance.now() - last < quietMs && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      off();
    }
  }

  /** shutdown + exit, then SIGKILL if the process is still there: nothing is left running. */
  async stop() {
    if (!this.exited) {
      try {
        await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
        this.notify('exit', null);
      } catch {
        // Already gone.
      }
    }
    const exited = this.exited ? Promise.resolve() : new Promise((r) => this.child.once('exit', r));
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    if (!this.exited) {
      this.child.kill('SIGKILL');
      await Promise.race([new Promise((r) => this.child.once('exit', r)), new Promise((r) => setTimeout(r, 1000))]);
    }
  }
}
