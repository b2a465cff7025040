/**
 * `npm start`: migrates the database, starts the whole control plane with prefixed logs, runs the
 * demo (three simulated clusters in a demo tenant, its compliance zone: see demo-clusters.ts),
 * and prints the demo's federated services and zone, the GraphQL URL, the console URL and the
 * demo login (`npm start` builds the console first). Ctrl-C (or SIGTERM) stops every process it
 * started.
 *
 * PORT_BASE moves every port (gateway = PORT_BASE, subgraphs = +1..+4, agent hub = +10).
 * MESHPLANE_REPLICAS=2 runs two replicas of every process, behind load balancers on those ports.
 */
import {
  DEMO_TENANT,
  demoFederation,
  demoSession,
  prepareDemoAgents,
  seedDemoZone,
  waitForDemoClusters,
} from './demo-clusters.js';
import { Launcher } from './launcher.js';

const portBase = Number(process.env.PORT_BASE ?? 4000);
const write = (line: string) => process.stdout.write(`${line}\n`);
const restartOnExit = process.env.MESHPLANE_RESTART_ON_EXIT === '1';
const replicas = Number(process.env.MESHPLANE_REPLICAS ?? 1);
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 2) {
  write('MESHPLANE_REPLICAS must be 1 or 2');
  process.exit(2);
}
const launcher = new Launcher({ portBase, env: { ...process.env }, write, restartOnExit, replicas });

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
  const onExit = (name: string, code: number | null) => void shutdown(`${name} exited with code ${code}`, 1);
  await launcher.start(onExit);
  const gatewayUrl = `http://127.0.0.1:${portBase}`;
  if (process.env.MESHPLANE_DEMO !== '0') {
    const token = await demoSession(gatewayUrl);
    for (const agent of await prepareDemoAgents(gatewayUrl, token)) {
      launcher.startExtra(`agent:${agent.cluster}`, 'agent/dist/main.js', agent.env, onExit);
    }
    const clusters = await waitForDemoClusters(gatewayUrl, token);
    write('');
    write(
      `Simulated clusters (tenant "${DEMO_TENANT.slug}", ${DEMO_TENANT.email} / ${DEMO_TENANT.password}):`,
    );
    for (const c of clusters)
      write(`  ${c.name.padEnd(14)} connected=${c.connected}  endpoints=${c.endpoints}`);
    const zone = await seedDemoZone(gatewayUrl, token);
    for (const service of await demoFederation(gatewayUrl, token))
      write(
        `Federated service ${service.name} in ${service.cluster}: ${service.endpoints} endpoints from ${service.memberClusters.join(', ')}`,
      );
    write(
      zone.created
        ? `Compliance zone "${zone.name}" (${zone.clusterSelector}) declared now${zone.crossedBefore ? ', after EU-US traffic was recorded: its report lists those flows as violations; its tier denies them from now on' : ' (no EU-US traffic recorded yet)'}`
        : `Compliance zone "${zone.name}" (${zone.clusterSelector}) enforced since an earlier run`,
    );
  }
  write('');
  write(`Meshplane is running. GraphQL: ${gatewayUrl}/graphql`);
  write(`Console: ${gatewayUrl}/`);
  if (process.env.MESHPLANE_DEMO !== '0') {
    write(
      `  demo login: tenant ${DEMO_TENANT.slug}, email ${DEMO_TENANT.email}, password ${DEMO_TENANT.password}`,
    );
  }
  write(`Agents connect to ws://127.0.0.1:${portBase + 10}/agents. Press Ctrl-C to stop.`);
  write(`READY pids=${launcher.pids.join(',')} names=${launcher.names.join(',')}`);
} catch (error) {
  write(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown('start-up failed', 1);
}
