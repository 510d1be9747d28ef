import { startLocalRuntime } from '../../src/local/runtime';

// The whole local runtime in its own process, for the SIGKILL test:
// `node --import tsx test/faults/child-runtime.ts <dataDir> <port> [reset]`.
// Prints `ready` once it serves; it is killed, never stopped.

const [dataDir, port, reset] = process.argv.slice(2);
await startLocalRuntime({ dataDir: dataDir!, port: Number(port), reset: reset === 'reset', scheduleEveryMs: 2_000 });
console.log('ready');
