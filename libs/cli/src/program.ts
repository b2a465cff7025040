import { createInterface } from 'node:readline/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ApiClient, ApiError } from './api-client.js';
import { CliError } from './cli-error.js';
import { credentialsPath, DEFAULT_URL, loadCredentials, saveCredentials } from './credentials.js';
import { locate, readManifests, type SourceObject } from './manifests.js';
import { type PlanAnswer, painter, renderPlan, toYaml } from './render.js';

/** What the commands read and write: the process's streams and environment, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** `plan` and `apply` exit with this code when the plan has changes (as `terraform plan -detailed-exitcode`). */
export const EXIT_CHANGES = 2;

const PLAN_MUTATION = `mutation MeshplanePlan($input: ChangeSetInput!, $whatIf: ChangeSetWhatIfInput!, $withWhatIf: Boolean!) {
  planChangeSet(input: $input) {
    id revision hasChanges expiresAt
    warnings { index kind name namespace message }
    entries { index action kind name namespace diff { op path before after } }
    whatIf(input: $whatIf) @include(if: $withWhatIf) {
      evaluated skipped changed newlyDenied newlyAllowed truncated
      flows { oldAction newAction flow { clusterId protocol source { namespace workload } destination { namespace workload port } } }
      groups { clusterId decidedBy changed newlyDenied newlyAllowed }
    }
  }
}`;

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `30m`, `1h`, `7d` in milliseconds. */
export function parseDuration(value: string): number {
  const match = DURATION.exec(value);
  if (!match) throw new InvalidArgumentError('a duration such as 90s, 30m, 1h or 7d');
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function client(io: CliIo): Promise<ApiClient> {
  const { url, token } = await loadCredentials(io.env);
  return new ApiClient(url, token);
}

async function readLine(io: CliIo, prompt: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stdin.isTTY ? (io.stderr as never) : undefined });
  try {
    if (io.stdin.isTTY) io.stderr.write(prompt);
    for await (const line of rl) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}

interface PlanOptions {
  filename?: string;
  prune?: boolean;
  output: 'text' | 'json';
  whatIf: boolean;
  whatIfWindow: number;
  whatIfCluster?: string;
  whatIfNamespace?: string;
  verbose?: boolean;
}

/**
 * Plans the objects of the files. Invalid objects are reported at `file:line:column` of each bad
 * field (the API names the object's index and the field's path) and nothing is planned.
 */
async function planFiles(
  io: CliIo,
  api: ApiClient,
  options: PlanOptions,
): Promise<{ plan: PlanAnswer; sources: SourceObject[] }> {
  if (!options.filename) throw new CliError('give -f <file or folder>');
  const sources = await readManifests(options.filename, io.cwd);
  const to = new Date();
  const from = new Date(to.getTime() - options.whatIfWindow);
  const { data, errors } = await api.send<{ planChangeSet: PlanAnswer | null }>(PLAN_MUTATION, {
    input: { objects: sources.map((s) => s.object), prune: options.prune === true },
    whatIf: {
      from: from.toISOString(),
      to: to.toISOString(),
      ...(options.whatIfCluster ? { clusterId: options.whatIfCluster } : {}),
      ...(options.whatIfNamespace ? { namespace: options.whatIfNamespace } : {}),
    },
    withWhatIf: options.whatIf,
  });
  const plan = data?.planChangeSet;
  if (!plan) {
    const [first] = errors ?? [];
    const issues = first?.extensions?.issues;
    if (first?.extensions?.reason === 'INVALID_CHANGE_SET' && Array.isArray(issues)) {
      const lines = (issues as { index: number; path: string; message: string }[]).map((issue) => {
        const source = sources[issue.index];
        const at = source ? locate(source, issue.path) : `object ${issue.index}`;
        return `${at}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
      });
      throw new CliError(lines.join('\n'));
    }
    throw new ApiError(errors ?? [{ message: 'no plan' }]);
  }
  if (options.whatIf) plan.whatIfWindow = { from: from.toISOString(), to: to.toISOString() };
  // The plan stands; a what-if that failed (e.g. more policy changes than one what-if takes) is a warning.
  for (const error of errors ?? []) io.stderr.write(`warning: what-if: ${error.message}\n`);
  return { plan, sources };
}

function printPlan(io: CliIo, plan: PlanAnswer, sources: SourceObject[], options: PlanOptions): void {
  if (options.output === 'json') {
    io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return;
  }
  const colour = io.stdout.isTTY === true && !io.env.NO_COLOR;
  const where = (index: number) => {
    const source = sources[index];
    return source ? locate(source, '') : undefined;
  };
  io.stdout.write(renderPlan(plan, where, painter(colour), options.verbose));
}

function planCommand(name: string, description: string, filesRequired = true): Command {
  const command = new Command(name).description(description);
  const files = '-f, --filename <path>';
  const filesHelp = 'a YAML file, or a folder of them (read recursively)';
  if (filesRequired) command.requiredOption(files, filesHelp);
  else command.option(files, filesHelp);
  return command
    .option('--prune', "delete the tenant's tiers and policies that are not in the files")
    .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--no-what-if', 'skip the what-if over recorded flows')
    .option(
      '--what-if-window <duration>',
      'recorded flows of this long ago until now',
      parseDuration,
      3_600_000,
    )
    .option('--what-if-cluster <id>', 'only recorded flows this cluster reported')
    .option('--what-if-namespace <namespace>', 'only recorded flows with an end in this namespace')
    .option('-v, --verbose', 'list unchanged objects too');
}

/** The `meshplane` program; `run` turns errors into messages and exit codes. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('meshplane')
    .description('Meshplane from the command line: policies as code, clusters, flows.')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();

  program
    .command('login')
    .description(
      `store an API URL and token (mode 0600, ${credentialsPath(io.env)}); MESHPLANE_TOKEN and MESHPLANE_URL override it`,
    )
    .option('--url <url>', 'the gateway', io.env.MESHPLANE_URL || DEFAULT_URL)
    .option('--token <token>', 'an API token (mpt_…); read from stdin when not given')
    .action(async (options: { url: string; token?: string }) => {
      const token = options.token ?? (await readLine(io, 'API token: '));
      if (!token) throw new CliError('no token given');
      const api = new ApiClient(options.url, token);
      const { me } = await api.request<{ me: { role: string; tenant: { slug: string } } | null }>(
        '{ me { role tenant { slug } } }',
      );
      if (!me) throw new CliError('the token was not accepted');
      const path = credentialsPath(io.env);
      await saveCredentials(path, { url: options.url, token });
      io.stdout.write(`Logged in to ${me.tenant.slug} (${me.role}) at ${options.url}; saved to ${path}\n`);
    });

  program
    .command('get')
    .description(
      "print the tenant's tiers and policies as Calico v3 YAML (stable order; `plan -f` of it shows no change)",
    )
    .addOption(new Option('-o, --output <format>', 'yaml or json').choices(['yaml', 'json']).default('yaml'))
    .action(async (options: { output: 'yaml' | 'json' }) => {
      const { changeSetObjects } = await (await client(io)).request<{
        changeSetObjects: { revision: string; objects: unknown[] };
      }>('{ changeSetObjects { revision objects } }');
      io.stdout.write(
        options.output === 'json'
          ? `${JSON.stringify(changeSetObjects.objects, null, 2)}\n`
          : toYaml(changeSetObjects.objects),
      );
    });

  program.addCommand(
    planCommand('plan', 'show what applying the files would change; exit code 2 when anything would').action(
      async (options: PlanOptions) => {
        const { plan, sources } = await planFiles(io, await client(io), options);
        printPlan(io, plan, sources, options);
        if (plan.hasChanges) throw new CliError('', EXIT_CHANGES);
      },
    ),
  );

  program.addCommand(
    planCommand(
      'apply',
      'plan the files, ask, then apply the plan all at once (CONFLICT when anything changed meanwhile)',
      false,
    )
      .option(
        '--plan <id>',
        'apply this plan (the id `plan --output json` printed) instead of planning files',
      )
      .option('-y, --yes', 'apply without asking')
      .action(async (options: PlanOptions & { yes?: boolean; plan?: string }) => {
        const api = await client(io);
        let planId = options.plan;
        if (planId === undefined) {
          if (!options.filename) throw new CliError('give -f <file or folder>, or --plan <id>');
          const { plan, sources } = await planFiles(io, api, options);
          printPlan(io, plan, sources, options);
          if (!plan.hasChanges) {
            if (options.output === 'text') io.stdout.write('Nothing to apply.\n');
            return;
          }
          planId = plan.id;
        }
        if (!options.yes) {
          if (!io.stdin.isTTY)
            throw new CliError('not applied: stdin is not a terminal; pass --yes to apply');
          const answer = await readLine(io, 'Apply this plan? Only "yes" applies it: ');
          if (answer !== 'yes') throw new CliError('not applied');
        }
        const { applyChangeSet } = await api.request<{
          applyChangeSet: {
            planId: string;
            changeId: string | null;
            created: number;
            updated: number;
            deleted: number;
          };
        }>('mutation($id: ID!) { applyChangeSet(planId: $id) { planId changeId created updated deleted } }', {
          id: planId,
        });
        const { changeId, created, updated, deleted } = applyChangeSet;
        if (options.output === 'json') io.stdout.write(`${JSON.stringify(applyChangeSet)}\n`);
        else
          io.stdout.write(
            `Applied: ${created} created, ${updated} updated, ${deleted} deleted; change ${changeId} (follow it with rollout(changeId))\n`,
          );
      }),
  );

  program
    .command('clusters')
    .description("list the tenant's clusters: connection and config state")
    .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(async (options: { output: 'text' | 'json' }) => {
      const { clusters } = await (await client(io)).request<{
        clusters: {
          id: string;
          name: string;
          labels: { key: string; value: string }[];
          status: { connected: boolean };
          config: { desiredVersion: number; appliedVersion: number; state: string };
        }[];
      }>(
        '{ clusters { id name labels { key value } status { connected } config { desiredVersion appliedVersion state } } }',
      );
      if (options.output === 'json') {
        io.stdout.write(`${JSON.stringify(clusters, null, 2)}\n`);
        return;
      }
      const rows = [
        ['NAME', 'CONNECTED', 'CONFIG', 'LABELS'],
        ...[...clusters]
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((c) => [
            c.name,
            String(c.status.connected),
            `${c.config.state.toLowerCase()} ${c.config.appliedVersion}/${c.config.desiredVersion}`,
            c.labels.map((l) => `${l.key}=${l.value}`).join(','),
          ]),
      ];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const row of rows)
        io.stdout.write(
          `${row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd()}\n`,
        );
    });

  program
    .command('install')
    .description(
      'print the one-line install of a cluster: registers it when new, else issues a new install token (earlier unused ones stop working)',
    )
    .argument('<cluster>', 'cluster name')
    .option('-l, --label <key=value>', 'a label of a new cluster (repeatable)', collect, [])
    .action(async (name: string, options: { label: string[] }) => {
      const api = await client(io);
      const labels = options.label.map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new CliError(`--label ${pair}: expected key=value`);
        return { key: pair.slice(0, at), value: pair.slice(at + 1) };
      });
      const { clusters } = await api.request<{ clusters: { id: string; name: string }[] }>(
        '{ clusters { id name } }',
      );
      const existing = clusters.find((c) => c.name === name);
      let command: string;
      if (existing) {
        if (labels.length > 0)
          throw new CliError(`cluster ${name} exists; change its labels in the console or the API`);
        const { rotateInstallToken } = await api.request<{ rotateInstallToken: { installCommand: string } }>(
          'mutation($id: ID!) { rotateInstallToken(id: $id) { installCommand } }',
          { id: existing.id },
        );
        command = rotateInstallToken.installCommand;
        io.stderr.write(`cluster ${name} exists: a new install token was issued\n`);
      } else {
        const { registerCluster } = await api.request<{ registerCluster: { installCommand: string } }>(
          'mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { installCommand } }',
          { input: { name, labels } },
        );
        command = registerCluster.installCommand;
      }
      io.stdout.write(`${command}\n`);
    });

  program
    .command('flows')
    .description('print recorded flows, oldest first; --follow keeps printing new ones')
    .option('--since <duration>', 'flows of this long ago until now', parseDuration, 300_000)
    .option('--cluster <id>', 'only flows this cluster reported')
    .option('--namespace <namespace>', 'only flows with an end in this namespace')
    .option('-f, --follow', 'keep printing flows as they are recorded (Ctrl-C stops)')
    .option('--interval <duration>', 'how often --follow asks', parseDuration, 2_000)
    .action(
      async (options: {
        since: number;
        cluster?: string;
        namespace?: string;
        follow?: boolean;
        interval: number;
      }) => {
        const api = await client(io);
        const seen = new Set<string>();
        let from = new Date(Date.now() - options.since);
        const filter = {
          ...(options.cluster ? { clusterId: options.cluster } : {}),
          ...(options.namespace ? { namespace: options.namespace } : {}),
        };
        for (;;) {
          const { flows } = await api.request<{ flows: { nodes: FlowRow[] } }>(
            `query($filter: FlowFilter, $from: DateTime) { flows(filter: $filter, from: $from, first: 1000) {
              nodes { clusterId seq startTime action protocol source { cluster namespace workload } destination { cluster namespace workload port } } } }`,
            { filter, from: from.toISOString() },
          );
          const fresh = flows.nodes.filter((f) => !seen.has(`${f.clusterId}/${f.seq}`)).reverse();
          for (const flow of fresh) {
            seen.add(`${flow.clusterId}/${flow.seq}`);
            io.stdout.write(`${formatFlow(flow)}\n`);
            if (new Date(flow.startTime) > from) from = new Date(flow.startTime);
          }
          if (seen.size > 100_000) seen.clear();
          if (!options.follow) return;
          await new Promise((resolve) => setTimeout(resolve, options.interval));
        }
      },
    );

  return program;
}

interface FlowRow {
  clusterId: string;
  seq: number;
  startTime: string;
  action: string;
  protocol: string;
  source: { cluster: string | null; namespace: string; workload: string };
  destination: { cluster: string | null; namespace: string; workload: string; port: number | null };
}

function formatFlow(flow: FlowRow): string {
  const end = (e: FlowRow['source']) => `${e.cluster ? `${e.cluster}:` : ''}${e.namespace}/${e.workload}`;
  const port = flow.destination.port === null ? '' : `:${flow.destination.port}`;
  return `${flow.startTime} ${flow.action.padEnd(5)} ${flow.protocol} ${end(flow.source)} → ${end(flow.destination)}${port}`;
}

/** Runs the program on `argv` (without node and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      if (error.message) io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as { code?: string; exitCode?: number }).code;
    if (typeof code === 'string' && code.startsWith('commander.'))
      return (error as { exitCode: number }).exitCode;
    io.stderr.write(`meshplane: ${(error as Error).message}\n`);
    return 1;
  }
}
