/**
 * `npm start`: migrates the database, starts the whole control plane with prefixed logs, and
 * prints the GraphQL URL. Ctrl-C (or SIGTERM) stops every process it started.
 *
 * PORT_BASE moves every port (gateway = PORT_BASE, subgraphs = +1..+4, agent hub = +10).
 */
import { Launcher } from './launcher.js';

const portBase = Number(process.env.PORT_BASE ?? 4000);
const write = (line: string) => process.stdout.write(`${line}\n`);
const launcher = new Launcher({ portBase, env: { ...process.env }, write });

let exitCode = 0;
async function shutdown(reason: string, code: number) {
  exitCode = Math.max(exitCode, code);
  write(`stopping (${reason})...`);
  await launcher.stop();
  write('stopped');
  process.exit(exitCode);
}

process.on('SIGINT', () => void shutdown('interrupted', 0));
process.on('SIGTERM', () => void shutdown('terminated', 0));

try {
  await launcher.migrate();
  await launcher.start((name, code) => void shutdown(`${name} exited with code ${code}`, 1));
  write('');
  write(`Meshplane is running. GraphQL: http://127.0.0.1:${portBase}/graphql`);
  write(`Agents connect to ws://127.0.0.1:${portBase + 10}/agents. Press Ctrl-C to stop.`);
  write(`READY pids=${launcher.pids.join(',')}`);
} catch (error) {
  write(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown('start-up failed', 1);
}
